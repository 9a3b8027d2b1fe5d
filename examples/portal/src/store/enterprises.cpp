#include "store/enterprises.hpp"

#include "db/database.hpp"

namespace cardbridge::portal {

namespace {

constexpr const char* kColumns = "id, name, uscc, org_code, customs_code, legal_person, address";

Enterprise read(const Statement& row) {
    return {row.integer(0),       row.text(1), row.optional_text(2), row.optional_text(3),
            row.optional_text(4), row.text(5), row.text(6)};
}

std::optional<Enterprise> first(Statement& select) {
    if (!select.step()) return std::nullopt;
    return read(select);
}

}  // namespace

std::optional<Enterprise> EnterpriseStore::find(std::int64_t id) {
    auto select =
        db_.prepare(std::string("SELECT ") + kColumns + " FROM enterprises WHERE id = ?1");
    select.bind_all(id);
    return first(select);
}

std::optional<Enterprise> EnterpriseStore::find_by_codes(
    const std::optional<std::string>& uscc, const std::optional<std::string>& org_code) {
    // NULL never equals NULL, so an absent code matches nothing.
    auto select =
        db_.prepare(std::string("SELECT ") + kColumns +
                    " FROM enterprises WHERE uscc = ?1 OR org_code = ?2 ORDER BY id LIMIT 1");
    select.bind_all(uscc, org_code);
    return first(select);
}

std::int64_t EnterpriseStore::insert(const Enterprise& e, std::time_t now) {
    db_.prepare(
           "INSERT INTO enterprises (name, uscc, org_code, customs_code, legal_person, address, "
           "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind_all(e.name, e.uscc, e.org_code, e.customs_code, e.legal_person, e.address, now)
        .run();
    return db_.last_insert_id();
}

void EnterpriseStore::update_identity(const Enterprise& e) {
    db_.prepare(
           "UPDATE enterprises SET name = ?2, uscc = ?3, org_code = ?4, customs_code = ?5 "
           "WHERE id = ?1")
        .bind_all(e.id, e.name, e.uscc, e.org_code, e.customs_code)
        .run();
}

}  // namespace cardbridge::portal
