// token.verifyPin and token.changePin.

#include <memory>

#include "service/card_job.hpp"
#include "service/params.hpp"
#include "service/pin_source.hpp"
#include "service/pin_steps.hpp"
#include "service/token_services.hpp"

namespace cardbridge::daemon {

namespace {

void add_verify(Api& api, TokenServices& services) {
    api.add("token.verifyPin", [&services](const CallContext& ctx, Json params, Complete done) {
        auto pin = std::make_shared<std::optional<SecurePin>>(PinSource::take(params, "pin", ctx));
        const Params p(params, "token.verifyPin", {"reader", "pin"});
        const auto& entry = services.readers.resolve(p.text("reader", kMaxReaderName));
        auto work = [&services, pin, ctx](tokens::Token& token) {
            verify_on_card(services, ctx, token, *pin);
            return Json{{"verified", true}};
        };
        run_on_card(services.io, entry, services.deadline(!pin->has_value()),
                    std::move(work), std::move(done));
    });
}

void add_change(Api& api, TokenServices& services) {
    api.add("token.changePin", [&services](const CallContext& ctx, Json params, Complete done) {
        auto current = std::make_shared<std::optional<SecurePin>>(PinSource::take(params, "pin", ctx));
        auto next = std::make_shared<std::optional<SecurePin>>(PinSource::take(params, "newPin", ctx));
        const Params p(params, "token.changePin", {"reader", "pin", "newPin"});
        if (current->has_value() != next->has_value())
            throw Error(Reason::INVALID_PARAMS, "token.changePin: give both 'pin' and 'newPin', or neither");
        const auto& entry = services.readers.resolve(p.text("reader", kMaxReaderName));
        auto work = [&services, current, next, ctx](tokens::Token& token) {
            change_on_card(services, ctx, token, *current, *next);
            return Json{{"changed", true}};
        };
        run_on_card(services.io, entry, services.deadline(!current->has_value()),
                    std::move(work), std::move(done));
    });
}

}  // namespace

void add_pin_methods(Api& api, TokenServices& services) {
    add_verify(api, services);
    add_change(api, services);
}

}  // namespace cardbridge::daemon
