#include "pin/secure_pin.hpp"

#include <sodium.h>

#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon {

namespace {

void ensure_sodium() {
    // sodium_init is thread-safe and idempotent; it returns 1 once initialised.
    if (sodium_init() < 0) throw Error(Reason::INTERNAL, "libsodium could not be initialised");
}

}  // namespace

SecurePin SecurePin::from(std::string_view text) {
    if (text.empty() || text.size() > kMaxBytes)
        throw Error(Reason::PIN_FORMAT, "a PIN must be 1 to " + std::to_string(kMaxBytes) + " bytes");
    ensure_sodium();
    auto* data = static_cast<unsigned char*>(sodium_malloc(text.size()));
    if (data == nullptr) throw std::bad_alloc();
    std::memcpy(data, text.data(), text.size());
    sodium_mprotect_noaccess(data);
    return SecurePin(data, text.size());
}

SecurePin::SecurePin(SecurePin&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecurePin& SecurePin::operator=(SecurePin&& other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

SecurePin::~SecurePin() { release(); }

void SecurePin::release() noexcept {
    // sodium_free wipes the region before unmapping it.
    if (data_ != nullptr) sodium_free(data_);
    data_ = nullptr;
    size_ = 0;
}

SecurePin::Unlock::Unlock(const SecurePin& p) noexcept : pin(p) {
    if (pin.data_ != nullptr) sodium_mprotect_readonly(pin.data_);
}

SecurePin::Unlock::~Unlock() {
    if (pin.data_ != nullptr) sodium_mprotect_noaccess(pin.data_);
}

void wipe(std::string& text) noexcept {
    if (!text.empty()) sodium_memzero(text.data(), text.size());
    text.clear();
}

void wipe_strings(protocol::Json& value) noexcept {
    if (value.is_string()) return wipe(value.get_ref<std::string&>());
    if (value.is_structured())
        for (auto& member : value) wipe_strings(member);
}

}  // namespace cardbridge::daemon
