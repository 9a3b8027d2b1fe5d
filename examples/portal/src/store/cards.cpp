#include "store/cards.hpp"

#include "db/database.hpp"

namespace cardbridge::portal {

namespace {

const std::string kSelect =
    "SELECT card_id, user_id, holder, role, certificate_serial, not_after FROM cards ";

std::optional<BoundCard> first(Statement& select) {
    if (!select.step()) return std::nullopt;
    return BoundCard{select.text(0),          select.integer(1), select.text(2),
                     select.optional_text(3), select.text(4),    select.integer(5)};
}

}  // namespace

std::optional<BoundCard> CardStore::of_user(std::int64_t user_id) {
    auto select = db_.prepare(kSelect + "WHERE user_id = ?1");
    select.bind_all(user_id);
    return first(select);
}

std::optional<BoundCard> CardStore::find(std::string_view card_id) {
    auto select = db_.prepare(kSelect + "WHERE card_id = ?1");
    select.bind_all(card_id);
    return first(select);
}

void CardStore::bind(const BoundCard& c, std::time_t now) {
    db_.prepare(
           "INSERT INTO cards (card_id, user_id, holder, role, certificate_serial, not_after, "
           "bound_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind_all(c.card_id, c.user_id, c.holder, c.role, c.certificate_serial,
                  static_cast<std::int64_t>(c.not_after), now)
        .run();
}

void CardStore::unbind(std::int64_t user_id) {
    db_.prepare("DELETE FROM cards WHERE user_id = ?1").bind_all(user_id).run();
}

}  // namespace cardbridge::portal
