#include "store/users.hpp"

#include "db/database.hpp"

namespace cardbridge::portal {

namespace {

const std::string kSelect =
    "SELECT id, enterprise_id, username, role, password_hash, must_change_password, real_name, "
    "id_type, id_number, phone, email FROM users ";

User read(const Statement& row) {
    User user;
    user.id = row.integer(0);
    user.enterprise_id = row.integer(1);
    user.username = row.text(2);
    user.role = row.text(3) == "admin" ? Role::ADMIN : Role::OPERATOR;
    user.password_hash = row.text(4);
    user.must_change_password = row.integer(5) != 0;
    user.real_name = row.text(6);
    user.id_type = row.text(7);
    user.id_number = row.optional_text(8);
    user.phone = row.text(9);
    user.email = row.optional_text(10);
    return user;
}

std::optional<User> first(Statement& select) {
    if (!select.step()) return std::nullopt;
    return read(select);
}

}  // namespace

std::string_view role_text(Role role) noexcept {
    return role == Role::ADMIN ? "admin" : "operator";
}

std::optional<User> UserStore::find(std::int64_t id) {
    auto select = db_.prepare(kSelect + "WHERE id = ?1");
    select.bind_all(id);
    return first(select);
}

std::optional<User> UserStore::find_by_username(std::string_view username) {
    auto select = db_.prepare(kSelect + "WHERE username = ?1");
    select.bind_all(username);
    return first(select);
}

std::optional<User> UserStore::admin_of(std::int64_t enterprise_id) {
    auto select = db_.prepare(kSelect + "WHERE enterprise_id = ?1 AND role = 'admin'");
    select.bind_all(enterprise_id);
    return first(select);
}

std::vector<User> UserStore::operators_of(std::int64_t enterprise_id) {
    auto select =
        db_.prepare(kSelect + "WHERE enterprise_id = ?1 AND role = 'operator' ORDER BY id");
    select.bind_all(enterprise_id);
    std::vector<User> users;
    while (select.step()) users.push_back(read(select));
    return users;
}

std::int64_t UserStore::insert(const User& u, std::time_t now) {
    db_.prepare(
           "INSERT INTO users (enterprise_id, username, role, password_hash, "
           "must_change_password, real_name, id_type, id_number, phone, email, created_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
        .bind_all(u.enterprise_id, u.username, role_text(u.role), u.password_hash,
                  u.must_change_password, u.real_name, u.id_type, u.id_number, u.phone, u.email,
                  now)
        .run();
    return db_.last_insert_id();
}

void UserStore::set_password(std::int64_t id, std::string_view hash, bool must_change) {
    db_.prepare("UPDATE users SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1")
        .bind_all(id, hash, must_change)
        .run();
}

void UserStore::update_contact(std::int64_t id, std::string_view phone, std::string_view real_name,
                               const std::optional<std::string>& email) {
    db_.prepare("UPDATE users SET phone = ?2, real_name = ?3, email = ?4 WHERE id = ?1")
        .bind_all(id, phone, real_name, email)
        .run();
}

void UserStore::remove(std::int64_t id) {
    db_.prepare("DELETE FROM users WHERE id = ?1").bind_all(id).run();
}

}  // namespace cardbridge::portal
