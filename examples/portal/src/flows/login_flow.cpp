// 用户登录: POST /api/login/password, /api/login/card, /api/login/legacy (the manual's 第二章).

#include "api/form.hpp"
#include "api/router.hpp"
#include "flows/flows.hpp"
#include "flows/steps.hpp"

namespace cardbridge::portal {

namespace {

void password_login(Services& services, const CallPtr& call) {
    const Form form(call->body());
    auto username = form.required("username", 64);
    auto password = form.required("password", 128);
    if (services.lockouts.locked(username, services.now()))
        throw PortalError(ErrorCode::ACCOUNT_LOCKED);
    const auto user = services.users.find_by_username(username);
    services.hasher.verify(
        user ? user->password_hash : std::string(), std::move(password),
        call->later([&services, call, username, user_id = user ? user->id : 0](bool match) {
            const auto now = services.now();
            // Other attempts may have locked the name while this one was being checked.
            if (services.lockouts.locked(username, now))
                throw PortalError(ErrorCode::ACCOUNT_LOCKED);
            const auto user = services.users.find(user_id);
            if (!match || !user) {
                if (services.lockouts.record_failure(username, now))
                    throw PortalError(ErrorCode::ACCOUNT_LOCKED);
                throw PortalError(ErrorCode::BAD_CREDENTIALS);
            }
            services.lockouts.clear(username);
            log_in(services, *call, *user, false);
        }));
}

// A card logs in the account it is bound to; enterprise and holder come from the verified
// certificate, so a card moved to another enterprise's account cannot happen here.
void card_login(Services& services, ApiCall& call, const CardIdentity& card) {
    const auto bound = services.cards.find(card.card_id);
    if (!bound) throw PortalError(ErrorCode::CARD_NOT_BOUND);
    const auto user = services.users.find(bound->user_id);
    if (!user) throw PortalError(ErrorCode::CARD_NOT_BOUND);
    log_in(services, call, *user, true);
}

}  // namespace

void add_login_routes(Router& router, Services& services) {
    router.add({"POST", "/api/login/password", Access::ANYONE, false,
                [&services](const CallPtr& call) { password_login(services, call); }});

    router.add({"POST", "/api/login/card", Access::ANYONE, false, [&services](const CallPtr& call) {
                    card_login(services, *call, prove_card(services, *call, "login"));
                }});

    router.add(
        {"POST", "/api/login/legacy", Access::ANYONE, false, [&services](const CallPtr& call) {
             const Form form(call->body());
             const auto nonce = form.required("nonce", 256);
             const auto certificate = form.required("certificate", 16 * 1024);
             const auto signature = form.required("signature", 1024);
             services.challenges.consume(call->session().id, nonce, "legacy-login", services.now());
             card_login(
                 services, *call,
                 services.proofs.legacy_signature(certificate, signature, nonce, services.now()));
         }});
}

}  // namespace cardbridge::portal
