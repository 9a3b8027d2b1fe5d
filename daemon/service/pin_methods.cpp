// token.verifyPin and token.changePin. The daemon never retries a VERIFY: a wrong PIN goes back
// to the caller with the retries left, because a retry loop is how cards get blocked.

#include <memory>

#include "service/card_job.hpp"
#include "service/params.hpp"
#include "service/pin_source.hpp"
#include "service/token_services.hpp"
#include "tokens/piv_token.hpp"

namespace cardbridge::daemon {

namespace {

PinPrompt prompt_in(const CallContext& ctx, std::string what, CardSession& session) {
    return prompt_for(ctx, std::move(what), session.reader(), session.snapshot().label);
}

tokens::PinState usable_pin_state(CardSession& session) {
    auto state = session.transact([](const pcsc::Transmit& t) { return tokens::pin_state(t); });
    if (state.blocked) throw Error(Reason::PIN_BLOCKED, "the PIN is blocked", 0);
    return state;
}

void add_verify(Api& api, TokenServices& services) {
    api.add("token.verifyPin", [&services](const CallContext& ctx, Json params, Complete done) {
        auto pin = std::make_shared<std::optional<SecurePin>>(PinSource::take(params, "pin", ctx));
        const Params p(params, "token.verifyPin", {"reader", "pin"});
        const auto& entry = services.readers.resolve(p.text("reader", kMaxReaderName));
        auto work = [&services, pin, ctx](CardSession& session) {
            if (!pin->has_value()) {
                auto prompt = prompt_in(ctx, "verify the PIN", session);
                prompt.retries_left = usable_pin_state(session).retries_left;
                *pin = services.pins.ask(prompt);
            }
            session.transact([&](const pcsc::Transmit& t) { tokens::verify_pin(t, **pin); });
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
        auto work = [&services, current, next, ctx](CardSession& session) {
            if (!current->has_value()) {
                auto prompt = prompt_in(ctx, "change the PIN", session);
                prompt.retries_left = usable_pin_state(session).retries_left;
                auto [old_pin, new_pin] = services.pins.ask_change(prompt);
                *current = std::move(old_pin);
                *next = std::move(new_pin);
            }
            session.transact([&](const pcsc::Transmit& t) { tokens::change_pin(t, **current, **next); });
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
