#include "store/declarations.hpp"

#include "db/database.hpp"

namespace cardbridge::portal {

Declaration DeclarationStore::insert(std::int64_t user_id, std::string_view title,
                                     std::time_t now) {
    db_.prepare("INSERT INTO declarations (user_id, title, created_at) VALUES (?1, ?2, ?3)")
        .bind_all(user_id, title, now)
        .run();
    return {db_.last_insert_id(), std::string(title), now};
}

std::vector<Declaration> DeclarationStore::of_user(std::int64_t user_id) {
    auto select = db_.prepare(
        "SELECT id, title, created_at FROM declarations WHERE user_id = ?1 ORDER BY id DESC LIMIT "
        "200");
    select.bind_all(user_id);
    std::vector<Declaration> list;
    while (select.step()) list.push_back({select.integer(0), select.text(1), select.integer(2)});
    return list;
}

}  // namespace cardbridge::portal
