#include "tokens/skf/skf_pin_text.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon::tokens {

SkfPinText::SkfPinText(const SecurePin& pin) {
    if (pin.size() < kMinBytes || pin.size() > kMaxBytes)
        throw Error(Reason::PIN_FORMAT, "a USB key's PIN has " + std::to_string(kMinBytes) +
                                            " to " + std::to_string(kMaxBytes) + " characters");
    if (sodium_init() < 0) throw Error(Reason::INTERNAL, "libsodium could not be initialised");
    text_ = static_cast<char*>(sodium_malloc(pin.size() + 1));
    if (text_ == nullptr) throw std::bad_alloc();
    const bool has_nul = pin.with_bytes([this](std::span<const unsigned char> bytes) {
        std::memcpy(text_, bytes.data(), bytes.size());
        text_[bytes.size()] = '\0';
        return std::find(bytes.begin(), bytes.end(), 0) != bytes.end();
    });
    if (has_nul) {
        sodium_free(text_);
        text_ = nullptr;
        throw Error(Reason::PIN_FORMAT, "a PIN cannot hold a NUL character");
    }
}

SkfPinText::~SkfPinText() {
    // sodium_free wipes the region before unmapping it.
    if (text_ != nullptr) sodium_free(text_);
}

}  // namespace cardbridge::daemon::tokens
