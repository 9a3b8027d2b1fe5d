#include "service/signing_steps.hpp"

#include "service/pin_source.hpp"

namespace cardbridge::daemon {

std::string require_origin(const CallContext& ctx, bool right, std::string_view what) {
    if (!ctx.origin)
        throw Error(Reason::NOT_PERMITTED, std::string(what) + " needs a web origin to bind to");
    if (!right) throw Error(Reason::NOT_PERMITTED, *ctx.origin + " may not " + std::string(what));
    return *ctx.origin;
}

PinPlan plan_pin(const TokenServices& services, const CallContext& ctx, tokens::Token& token,
                 bool every_time, const std::optional<SecurePin>& given, std::string purpose) {
    PinPlan plan;
    // A PIN the caller sent is checked even on a card that is verified already: a page that
    // asks its user for the PIN must learn when it is wrong, not log them in anyway.
    if (given) {
        plan.needed = true;
        return plan;
    }
    const auto state = token.pin_state();
    plan.needed = every_time || !state.verified;
    if (!plan.needed) return plan;
    if (state.blocked) throw Error(Reason::PIN_BLOCKED, "the PIN is blocked", 0);
    auto prompt = prompt_for(ctx, std::move(purpose), token.reader(), token.snapshot().label);
    prompt.retries_left = state.retries_left;
    plan.typed = services.pins.ask(prompt);
    return plan;
}

const SecurePin* planned_pin(const PinPlan& plan, const std::optional<SecurePin>& given) {
    if (!plan.needed) return nullptr;
    return given ? &*given : &*plan.typed;
}

}  // namespace cardbridge::daemon
