// The user PIN of an SKF token (GM/T 0016 §7.2): its state, verification and change. A PIN is
// checked for the length the standard allows before any module sees it, and each attempt is
// made exactly once: a retry would spend another of the user's tries.
#include "tokens/skf/skf_error.hpp"
#include "tokens/skf/skf_pin_text.hpp"
#include "tokens/skf/skf_token.hpp"

namespace cardbridge::daemon::tokens {
namespace {

// A remaining-tries count above this is an output the module did not write.
constexpr skf::ULONG kMaxPlausibleRetries = 255;

}  // namespace

const std::string& SkfToken::pin_application() {
    const TokenSnapshot& current = snapshot();
    if (const CertificateInfo* signing = signing_certificate(current))
        return places_.at(signing->key).application;
    if (application_names_.empty())
        throw Error(Reason::UNSUPPORTED_TOKEN,
                    "the USB key on " + reader_ + " has no application, so no PIN");
    return application_names_.front();
}

PinState SkfToken::pin_state() {
    return guarded([this] {
        const std::string& name = pin_application();
        PinState state;
        state.verified = verified_.contains(name);
        if (!library_->has<&SkfFunctions::GetPINInfo>()) return state;
        skf::ULONG max_retries = 0;
        skf::ULONG remaining = kMaxPlausibleRetries + 1;
        skf::BoolSlot default_pin;
        check("SKF_GetPINInfo",
              library_->call<&SkfFunctions::GetPINInfo>(application(name), skf::USER_TYPE,
                                                        &max_retries, &remaining, &default_pin));
        if (remaining <= kMaxPlausibleRetries) {
            state.retries_left = static_cast<int>(remaining);
            state.blocked = remaining == 0;
        }
        if (state.blocked) {
            state.verified = false;
            verified_.erase(name);
        }
        return state;
    });
}

void SkfToken::verify_in(const std::string& name, const SkfPinText& text) {
    void* app = application(name);
    skf::ULONG retries = kMaxPlausibleRetries + 1;
    const skf::ULONG result =
        library_->call<&SkfFunctions::VerifyPIN>(app, skf::USER_TYPE, text.get(), &retries);
    if (result == skf::SAR_OK) {
        verified_.insert(name);
        return;
    }
    verified_.erase(name);
    fail("SKF_VerifyPIN", result, retries);
}

void SkfToken::verify_pin(const SecurePin& pin) {
    const SkfPinText text(pin);  // PIN_FORMAT before the key is touched
    guarded([&] { verify_in(pin_application(), text); });
}

void SkfToken::change_pin(const SecurePin& current, const SecurePin& next) {
    const SkfPinText current_text(current);
    const SkfPinText next_text(next);
    guarded([&] {
        const std::string& name = pin_application();
        void* app = application(name);
        skf::ULONG retries = kMaxPlausibleRetries + 1;
        const skf::ULONG result = library_->call<&SkfFunctions::ChangePIN>(
            app, skf::USER_TYPE, current_text.get(), next_text.get(), &retries);
        if (result == skf::SAR_OK) return;
        verified_.erase(name);
        fail("SKF_ChangePIN", result, retries);
    });
}

}  // namespace cardbridge::daemon::tokens
