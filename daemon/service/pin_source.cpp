#include "service/pin_source.hpp"

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon {

std::optional<SecurePin> PinSource::take(Json& params, std::string_view key, const CallContext& ctx) {
    auto found = params.find(key);
    if (found == params.end()) return std::nullopt;
    if (!found->is_string()) throw Error(Reason::PIN_FORMAT, "'" + std::string(key) + "' must be a string");
    auto& text = found->get_ref<std::string&>();
    // Wiped and removed before anything can fail, so no error path leaves it behind.
    auto wipe_json = [&] {
        wipe(text);
        params.erase(found);
    };
    if (!ctx.rights.send_pin) {
        wipe_json();
        throw Error(Reason::NOT_PERMITTED, ctx.origin.value_or("this caller") + " may not send the PIN; the daemon asks for it");
    }
    try {
        auto pin = SecurePin::from(text);
        wipe_json();
        return pin;
    } catch (...) {
        wipe_json();
        throw;
    }
}

SecurePin PinSource::ask(const PinPrompt& prompt) const {
    return ask_pin(config_, prompt, timeout_);
}

std::pair<SecurePin, SecurePin> PinSource::ask_change(PinPrompt prompt) const {
    auto current = ask_pin(config_, prompt, timeout_);
    auto next = ask_new_pin(config_, std::move(prompt), timeout_);
    return {std::move(current), std::move(next)};
}

PinPrompt prompt_for(const CallContext& ctx, std::string purpose, std::string reader,
                     std::string token_label) {
    PinPrompt prompt;
    prompt.origin = ctx.origin.value_or("");
    prompt.purpose = std::move(purpose);
    prompt.reader = std::move(reader);
    prompt.token_label = std::move(token_label);
    return prompt;
}

}  // namespace cardbridge::daemon
