#include "service/pin_steps.hpp"

#include "service/pin_source.hpp"
#include "tokens/piv_token.hpp"

namespace cardbridge::daemon {

namespace {

PinPrompt usable_prompt(const CallContext& ctx, std::string what, CardSession& session) {
    auto state = session.transact([](const pcsc::Transmit& t) { return tokens::pin_state(t); });
    if (state.blocked) throw Error(Reason::PIN_BLOCKED, "the PIN is blocked", 0);
    auto prompt = prompt_for(ctx, std::move(what), session.reader(), session.snapshot().label);
    prompt.retries_left = state.retries_left;
    return prompt;
}

}  // namespace

void verify_on_card(const TokenServices& services, const CallContext& ctx, CardSession& session,
                    std::optional<SecurePin>& pin) {
    if (!pin) pin = services.pins.ask(usable_prompt(ctx, "verify the PIN", session));
    session.transact([&](const pcsc::Transmit& t) { tokens::verify_pin(t, *pin); });
}

void change_on_card(const TokenServices& services, const CallContext& ctx, CardSession& session,
                    std::optional<SecurePin>& current, std::optional<SecurePin>& next) {
    if (!current) {
        auto [old_pin, new_pin] = services.pins.ask_change(usable_prompt(ctx, "change the PIN", session));
        current = std::move(old_pin);
        next = std::move(new_pin);
    }
    session.transact([&](const pcsc::Transmit& t) { tokens::change_pin(t, *current, *next); });
}

}  // namespace cardbridge::daemon
