// The legacy PIN methods. The PIN comes from `passwd` where the origin may send it, else from
// the daemon's prompt; a wrong one is never retried.

#include <memory>

#include "legacy/legacy_args.hpp"
#include "legacy/legacy_card.hpp"
#include "legacy/legacy_methods.hpp"
#include "service/pin_steps.hpp"

namespace cardbridge::daemon::legacy {

namespace {

using SharedPin = std::shared_ptr<std::optional<SecurePin>>;

LegacyMethod verify(TokenServices& services) {
    return [&services](const CallContext& ctx, Json args, Complete done) {
        auto pin = std::make_shared<std::optional<SecurePin>>(take_pin(args, "passwd", ctx));
        on_the_card(services, !pin->has_value(), [&services, ctx, pin](tokens::Token& token) {
            verify_on_card(services, ctx, token, *pin);
            return Json::array();
        }, std::move(done));
    };
}

}  // namespace

void add_pin_methods(LegacyApi& api, TokenServices& services) {
    api.add_security("SpcVerifyPIN", verify(services));
    api.add_security("SpcVerifyPINAll", verify(services));
    // The Single Window's "log in" with the card is a PIN check; the page then signs.
    api.add("security_login", verify(services));
    api.add("swc_security_login", verify(services));

    api.add_security("SpcChangePIN", [&services](const CallContext& ctx, Json args, Complete done) {
        SharedPin current = std::make_shared<std::optional<SecurePin>>(take_pin(args, "oldPin", ctx));
        SharedPin next = std::make_shared<std::optional<SecurePin>>(take_pin(args, "newPin", ctx));
        if (current->has_value() != next->has_value())
            throw Error(Reason::INVALID_PARAMS, "oldPin和newPin须同时给出，或都不给(由cardbridge弹窗输入)");
        on_the_card(services, !current->has_value(), [&services, ctx, current, next](tokens::Token& token) {
            change_on_card(services, ctx, token, *current, *next);
            return Json::array();
        }, std::move(done));
    });
}

}  // namespace cardbridge::daemon::legacy
