// 修改密码: POST /api/password. The forced change after an operator's first password login
// (the manual's 2.1) goes through here too.

#include "api/form.hpp"
#include "api/router.hpp"
#include "flows/flows.hpp"
#include "flows/views.hpp"

namespace cardbridge::portal {

namespace {

void change_password(Services& services, const CallPtr& call) {
    const auto& user = call->logged_in();
    const Form form(call->body());
    auto old_password = form.required("oldPassword", 128);
    auto new_password = form.new_password("newPassword", "newPassword2");
    if (new_password == old_password) throw invalid("newPassword", "新密码不能与原密码相同");
    if (services.lockouts.locked(user.username, services.now()))
        throw PortalError(ErrorCode::ACCOUNT_LOCKED);
    services.hasher.verify(
        user.password_hash, std::move(old_password),
        call->later([&services, call, new_password = std::move(new_password)](bool match) mutable {
            const auto& user = call->logged_in();
            if (!match) {
                // Guessing the old password here counts like guessing it at the login.
                if (services.lockouts.record_failure(user.username, services.now()))
                    throw PortalError(ErrorCode::ACCOUNT_LOCKED);
                throw invalid("oldPassword", "原密码不正确");
            }
            services.hasher.hash(
                std::move(new_password),
                call->later([&services, call](std::optional<std::string> hash) {
                    if (!hash) throw PortalError(ErrorCode::INTERNAL);
                    auto user = call->logged_in();
                    services.users.set_password(user.id, *hash, false);
                    services.lockouts.clear(user.username);
                    user.must_change_password = false;
                    call->ok({{"user", user_view(services, user, call->session().via_card)}});
                }));
        }));
}

}  // namespace

void add_password_routes(Router& router, Services& services) {
    router.add({"POST", "/api/password", Access::LOGGED_IN, true,
                [&services](const CallPtr& call) { change_password(services, call); }});
}

}  // namespace cardbridge::portal
