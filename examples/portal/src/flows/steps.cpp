#include "flows/steps.hpp"

#include "api/form.hpp"
#include "cardbridge/protocol/json.hpp"
#include "db/database.hpp"
#include "flows/views.hpp"

namespace cardbridge::portal {

CardIdentity prove_card(Services& services, ApiCall& call, std::string_view purpose) {
    const Form form(call.body());
    const auto nonce = form.required("nonce", 256);
    const auto token = form.required("token", 32 * 1024);
    services.challenges.consume(call.session().id, nonce, purpose, services.now());
    return services.proofs.login_token(token, nonce, services.now());
}

void keep_card(Services& services, ApiCall& call, std::string_view purpose,
               const nlohmann::json& state, std::time_t seconds) {
    services.sessions.set_pending(call.session().id, purpose, protocol::dump_json(state),
                                  services.now() + seconds);
}

nlohmann::json kept_card(Services& services, ApiCall& call, std::string_view purpose) {
    const auto text = services.sessions.pending(call.session().id, purpose, services.now());
    if (!text) throw PortalError(ErrorCode::NO_PENDING_CARD);
    return nlohmann::json::parse(*text);
}

bool same_enterprise(const Enterprise& enterprise, const CardEnterprise& card) {
    return (card.uscc && enterprise.uscc == card.uscc) ||
           (card.org_code && enterprise.org_code == card.org_code);
}

void log_in(Services& services, ApiCall& call, const User& user, bool via_card) {
    call.replace_session(
        services.sessions.replace(call.session(), user.id, via_card, services.now()));
    call.ok({{"user", user_view(services, user, via_card)}});
}

namespace {

PortalError username_taken() {
    return PortalError(ErrorCode::USERNAME_TAKEN, "username",
                       std::string(error_message(ErrorCode::USERNAME_TAKEN)));
}

}  // namespace

void require_free_username(Services& services, std::string_view username) {
    if (services.users.find_by_username(username)) throw username_taken();
}

User create_account(Services& services, User user, const std::optional<CardIdentity>& card,
                    const std::function<std::int64_t()>& enterprise_id) {
    Transaction transaction(services.db);
    user.enterprise_id = enterprise_id();
    if (services.users.find_by_username(user.username)) throw username_taken();
    if (user.role == Role::ADMIN && services.users.admin_of(user.enterprise_id))
        throw PortalError(ErrorCode::ADMIN_EXISTS);
    if (card && services.cards.find(card->card_id))
        throw PortalError(ErrorCode::CARD_ALREADY_BOUND);
    user.id = services.users.insert(user, services.now());
    if (card) bind_card(services, user.id, *card);
    transaction.commit();
    return user;
}

void bind_card(Services& services, std::int64_t user_id, const CardIdentity& card) {
    services.cards.bind(
        {card.card_id, user_id, card.holder, card.role, card.certificate_serial, card.not_after},
        services.now());
}

}  // namespace cardbridge::portal
