#pragma once
// Accounts: an enterprise's one administrator and its operators.

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cardbridge::portal {

class Database;

enum class Role { ADMIN, OPERATOR };

std::string_view role_text(Role role) noexcept;  // "admin", "operator"

struct User {
    std::int64_t id = 0;
    std::int64_t enterprise_id = 0;
    std::string username;
    Role role = Role::OPERATOR;
    std::string password_hash;
    /// Created by the administrator: the initial password must change at the first password login.
    bool must_change_password = false;
    std::string real_name;
    std::string id_type = "身份证";
    std::optional<std::string> id_number;
    std::string phone;
    std::optional<std::string> email;
};

class UserStore {
public:
    explicit UserStore(Database& db) : db_(db) {}

    std::optional<User> find(std::int64_t id);
    /// User names compare without regard to case.
    std::optional<User> find_by_username(std::string_view username);
    std::optional<User> admin_of(std::int64_t enterprise_id);
    std::vector<User> operators_of(std::int64_t enterprise_id);

    /// Returns the new id; throws DatabaseError (constraint) when the name is taken or the
    /// enterprise has an administrator already.
    std::int64_t insert(const User& user, std::time_t now);
    void set_password(std::int64_t id, std::string_view hash, bool must_change);
    void update_contact(std::int64_t id, std::string_view phone, std::string_view real_name,
                        const std::optional<std::string>& email);
    void remove(std::int64_t id);

private:
    Database& db_;
};

}  // namespace cardbridge::portal
