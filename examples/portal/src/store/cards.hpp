#pragma once
// Which card is bound to which account: a card to at most one account, an account to at most
// one card (the table's keys say so too).

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace cardbridge::portal {

class Database;

struct BoundCard {
    std::string card_id;
    std::int64_t user_id = 0;
    std::string holder;
    std::optional<std::string> role;  // "legal-person", "operator" or unknown
    std::string certificate_serial;
    std::time_t not_after = 0;
};

class CardStore {
public:
    explicit CardStore(Database& db) : db_(db) {}

    std::optional<BoundCard> of_user(std::int64_t user_id);
    std::optional<BoundCard> find(std::string_view card_id);
    /// Throws DatabaseError (constraint) when either side is bound already.
    void bind(const BoundCard& card, std::time_t now);
    void unbind(std::int64_t user_id);

private:
    Database& db_;
};

}  // namespace cardbridge::portal
