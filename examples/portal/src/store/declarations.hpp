#pragma once
// 业务办理's stand-in: an operator's list of declarations, enough to show that administrators
// cannot do business.

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace cardbridge::portal {

class Database;

struct Declaration {
    std::int64_t id = 0;
    std::string title;
    std::time_t created_at = 0;
};

class DeclarationStore {
public:
    explicit DeclarationStore(Database& db) : db_(db) {}

    Declaration insert(std::int64_t user_id, std::string_view title, std::time_t now);
    /// Newest first.
    std::vector<Declaration> of_user(std::int64_t user_id);

private:
    Database& db_;
};

}  // namespace cardbridge::portal
