#pragma once
// Enterprises (企业基本信息). One is the same as another when its USCC or its org code is.

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

namespace cardbridge::portal {

class Database;

struct Enterprise {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> uscc;
    std::optional<std::string> org_code;
    std::optional<std::string> customs_code;
    std::string legal_person;
    std::string address;
};

class EnterpriseStore {
public:
    explicit EnterpriseStore(Database& db) : db_(db) {}

    std::optional<Enterprise> find(std::int64_t id);
    std::optional<Enterprise> find_by_codes(const std::optional<std::string>& uscc,
                                            const std::optional<std::string>& org_code);
    /// Returns the new id.
    std::int64_t insert(const Enterprise& enterprise, std::time_t now);
    /// 同步更新: what the card carries replaces name and codes.
    void update_identity(const Enterprise& enterprise);

private:
    Database& db_;
};

}  // namespace cardbridge::portal
