// 我的 IC 卡 (the manual's 第五章): POST /api/card/bind, POST /api/card/unbind.

#include "api/router.hpp"
#include "flows/flows.hpp"
#include "flows/steps.hpp"
#include "flows/views.hpp"

namespace cardbridge::portal {

namespace {

void bind(Services& services, const CallPtr& call) {
    const auto card = prove_card(services, *call, "bind");
    const auto& user = call->logged_in();
    if (services.cards.of_user(user.id)) throw PortalError(ErrorCode::ACCOUNT_HAS_CARD);
    const auto enterprise = services.enterprises.find(user.enterprise_id);
    if (!enterprise || !same_enterprise(*enterprise, card.enterprise))
        throw PortalError(ErrorCode::ENTERPRISE_MISMATCH);
    if (services.cards.find(card.card_id)) throw PortalError(ErrorCode::CARD_ALREADY_BOUND);
    bind_card(services, user.id, card);
    call->ok({{"user", user_view(services, user, call->session().via_card)}});
}

// Unbinding an account that has no card leaves it as asked: without one.
void unbind(Services& services, const CallPtr& call) {
    const auto& user = call->logged_in();
    services.cards.unbind(user.id);
    call->ok({{"user", user_view(services, user, call->session().via_card)}});
}

}  // namespace

void add_card_binding_routes(Router& router, Services& services) {
    router.add({"POST", "/api/card/bind", Access::LOGGED_IN, false,
                [&services](const CallPtr& call) { bind(services, call); }});
    router.add({"POST", "/api/card/unbind", Access::LOGGED_IN, false,
                [&services](const CallPtr& call) { unbind(services, call); }});
}

}  // namespace cardbridge::portal
