#include "service/pin_steps.hpp"

#include "service/pin_source.hpp"

namespace cardbridge::daemon {

namespace {

PinPrompt usable_prompt(const CallContext& ctx, std::string what, tokens::Token& token) {
    auto state = token.pin_state();
    if (state.blocked) throw Error(Reason::PIN_BLOCKED, "the PIN is blocked", 0);
    auto prompt = prompt_for(ctx, std::move(what), token.reader(), token.snapshot().label);
    prompt.retries_left = state.retries_left;
    return prompt;
}

}  // namespace

void verify_on_card(const TokenServices& services, const CallContext& ctx, tokens::Token& token,
                    std::optional<SecurePin>& pin) {
    if (!pin) pin = services.pins.ask(usable_prompt(ctx, "verify the PIN", token));
    token.verify_pin(*pin);
}

void change_on_card(const TokenServices& services, const CallContext& ctx, tokens::Token& token,
                    std::optional<SecurePin>& current, std::optional<SecurePin>& next) {
    if (!current) {
        auto [old_pin, new_pin] = services.pins.ask_change(usable_prompt(ctx, "change the PIN", token));
        current = std::move(old_pin);
        next = std::move(new_pin);
    }
    token.change_pin(*current, *next);
}

}  // namespace cardbridge::daemon
