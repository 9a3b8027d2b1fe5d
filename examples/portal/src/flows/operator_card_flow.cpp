// 新增有卡操作员 (the manual's 4.1): POST /api/operators/card/identify reads the new operator's
// card, POST /api/operators/card creates the account bound to it within 15 minutes.

#include "api/form.hpp"
#include "api/router.hpp"
#include "flows/flows.hpp"
#include "flows/operators.hpp"
#include "flows/steps.hpp"

namespace cardbridge::portal {

namespace {

constexpr std::string_view kPurpose = "add-operator";

void check_card(Services& services, const User& admin, const CardIdentity& card) {
    if (card.role != "operator") throw PortalError(ErrorCode::CARD_ROLE);
    const auto enterprise = services.enterprises.find(admin.enterprise_id);
    if (!enterprise || !same_enterprise(*enterprise, card.enterprise))
        throw PortalError(ErrorCode::ENTERPRISE_MISMATCH);
    if (services.cards.find(card.card_id)) throw PortalError(ErrorCode::CARD_ALREADY_BOUND);
}

void identify(Services& services, const CallPtr& call) {
    const auto card = prove_card(services, *call, kPurpose);
    check_card(services, call->logged_in(), card);
    keep_card(services, *call, kPurpose, card_state_json(card));
    call->ok({{"card", card_json(card)}});
}

void add(Services& services, const CallPtr& call) {
    const auto card = card_from_json(kept_card(services, *call, kPurpose));
    check_card(services, call->logged_in(), card);
    const Form form(call->body());
    User op;
    op.username = form.username("username", true);
    op.phone = form.phone("phone");
    op.email = form.email("email");
    auto password = form.new_password("initialPassword", "initialPassword2");
    op.real_name = card.holder;
    op.id_number = card.holder_id;
    create_operator(services, call, std::move(op), std::move(password), card);
}

}  // namespace

void add_operator_card_routes(Router& router, Services& services) {
    router.add({"POST", "/api/operators/card/identify", Access::ADMIN, false,
                [&services](const CallPtr& call) { identify(services, call); }});
    router.add({"POST", "/api/operators/card", Access::ADMIN, false,
                [&services](const CallPtr& call) { add(services, call); }});
}

}  // namespace cardbridge::portal
