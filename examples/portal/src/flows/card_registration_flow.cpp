// 有卡用户注册 (the manual's 1.1 and 重要提醒): POST /api/register/card/identify reads the card
// and decides what may be registered with it; POST /api/register/card creates that account,
// bound to the card, within 15 minutes.

#include "api/form.hpp"
#include "api/router.hpp"
#include "flows/flows.hpp"
#include "flows/steps.hpp"

namespace cardbridge::portal {

namespace {

constexpr std::string_view kRegisterAdmin = "register-admin";
constexpr std::string_view kRegisterOperator = "register-operator";

// The table of README.md, "next". A card whose role is unknown (every real card so far) is
// treated as an operator card once the enterprise has an administrator: registering another
// administrator is never possible, an operator account is.
std::string_view next_step(Services& services, const CardIdentity& card) {
    if (services.cards.find(card.card_id)) throw PortalError(ErrorCode::CARD_ALREADY_BOUND);
    const auto enterprise =
        services.enterprises.find_by_codes(card.enterprise.uscc, card.enterprise.org_code);
    const auto admin = enterprise ? services.users.admin_of(enterprise->id) : std::nullopt;
    if (!admin) return kRegisterAdmin;
    if (card.role != "legal-person") return kRegisterOperator;
    if (services.cards.of_user(admin->id)) throw PortalError(ErrorCode::ADMIN_EXISTS);
    throw PortalError(ErrorCode::ADMIN_EXISTS_UNBOUND);
}

void identify(Services& services, const CallPtr& call) {
    const auto card = prove_card(services, *call, "register");
    const auto next = next_step(services, card);
    auto state = card_state_json(card);
    state["next"] = next;
    keep_card(services, *call, "register", state);
    call->ok({{"card", card_json(card)}, {"next", next}});
}

// The enterprise the card names, created from the card's data when it is new.
std::int64_t enterprise_for(Services& services, const CardIdentity& card, bool create) {
    if (auto found =
            services.enterprises.find_by_codes(card.enterprise.uscc, card.enterprise.org_code))
        return found->id;
    if (!create) throw PortalError(ErrorCode::NO_PENDING_CARD);
    Enterprise enterprise;
    enterprise.name = card.enterprise.name;
    enterprise.uscc = card.enterprise.uscc;
    enterprise.org_code = card.enterprise.org_code;
    enterprise.customs_code = card.enterprise.customs_code;
    enterprise.legal_person = card.role == "legal-person" ? card.holder : "";
    return services.enterprises.insert(enterprise, services.now());
}

void register_with_card(Services& services, const CallPtr& call) {
    const auto state = kept_card(services, *call, "register");
    const bool admin = state.at("next") == kRegisterAdmin;
    const auto card = card_from_json(state);
    const Form form(call->body());
    User user;
    user.role = admin ? Role::ADMIN : Role::OPERATOR;
    user.username = form.username("username", !admin);
    auto password = form.new_password("password", "password2");
    user.phone = form.phone("phone");
    user.email = form.email("email");
    user.real_name = form.optional_person_name("realName").value_or(card.holder);
    // 法人身份证件号 is typed for an administrator; an operator's ID is the card holder's.
    user.id_number =
        admin ? form.id_number("idNumber")
              : form.optional_id_number("idNumber").value_or(card.holder_id.value_or(""));
    if (user.id_number->empty()) user.id_number.reset();
    form.agreed("agree");
    require_free_username(services, user.username);
    services.hasher.hash(
        std::move(password),
        call->later([&services, call, user, card, admin](std::optional<std::string> hash) mutable {
            if (!hash) throw PortalError(ErrorCode::INTERNAL);
            // The 15 minutes may have run out while hashing; create_account checks the rest again.
            kept_card(services, *call, "register");
            user.password_hash = std::move(*hash);
            const auto created = create_account(services, std::move(user), card, [&] {
                return enterprise_for(services, card, admin);
            });
            services.sessions.clear_pending(call->session().id);
            log_in(services, *call, created, true);
        }));
}

}  // namespace

void add_card_registration_routes(Router& router, Services& services) {
    router.add({"POST", "/api/register/card/identify", Access::ANYONE, false,
                [&services](const CallPtr& call) { identify(services, call); }});
    router.add({"POST", "/api/register/card", Access::ANYONE, false,
                [&services](const CallPtr& call) { register_with_card(services, call); }});
}

}  // namespace cardbridge::portal
