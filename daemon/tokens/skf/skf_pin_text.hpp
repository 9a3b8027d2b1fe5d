#pragma once
// A PIN as SKF takes it, a NUL-terminated string (LPSTR), held in libsodium secure memory for
// the one call it is made for and wiped when it goes: the bytes never pass through a
// std::string or the ordinary heap on their way to the module.

#include "pin/secure_pin.hpp"

namespace cardbridge::daemon::tokens {

class SkfPinText {
public:
    /// GM/T 0016 vendor headers: MIN_PIN_LEN 6, MAX_PIN_LEN 16 (notes §1.3).
    static constexpr std::size_t kMinBytes = 6;
    static constexpr std::size_t kMaxBytes = 16;

    /// Error(PIN_FORMAT) before any module sees a PIN that is not 6 to 16 bytes, or that holds
    /// a NUL (the module would read only its first part).
    explicit SkfPinText(const SecurePin& pin);
    ~SkfPinText();
    SkfPinText(const SkfPinText&) = delete;
    SkfPinText& operator=(const SkfPinText&) = delete;

    /// The module's LPSTR parameters are not const.
    char* get() const noexcept { return text_; }

private:
    char* text_ = nullptr;
};

}  // namespace cardbridge::daemon::tokens
