#pragma once
// A PIN held in libsodium secure memory: a guarded allocation, locked out of swap, readable
// only while a view of it is open, wiped when the object goes. It never converts to a string,
// so it cannot end up in a log line or an exception message by accident.

#include <cstddef>
#include <span>
#include <string_view>
#include <string>

#include "cardbridge/protocol/json.hpp"

namespace cardbridge::daemon {

class SecurePin {
public:
    /// A PIN is at most this many bytes; PIV's is 8, an Assuan line of ours will never be more.
    static constexpr std::size_t kMaxBytes = 64;

    /// Copies `text` into secure memory. Throws Error(PIN_FORMAT) when it is empty or longer
    /// than kMaxBytes. The caller wipes its own copy (wipe()).
    static SecurePin from(std::string_view text);

    SecurePin(SecurePin&& other) noexcept;
    SecurePin& operator=(SecurePin&& other) noexcept;
    SecurePin(const SecurePin&) = delete;
    SecurePin& operator=(const SecurePin&) = delete;
    ~SecurePin();

    std::size_t size() const noexcept { return size_; }

    /// Read access for the duration of one call: `use(std::span<const unsigned char>)`.
    template <class F>
    decltype(auto) with_bytes(F&& use) const {
        Unlock unlock(*this);
        return use(std::span<const unsigned char>(data_, size_));
    }

private:
    SecurePin(unsigned char* data, std::size_t size) noexcept : data_(data), size_(size) {}
    struct Unlock {
        explicit Unlock(const SecurePin& pin) noexcept;
        ~Unlock();
        const SecurePin& pin;
    };
    void release() noexcept;

    unsigned char* data_ = nullptr;  // sodium_malloc'd, PROT_NONE between uses
    std::size_t size_ = 0;
};

/// Overwrites `text` in place (sodium_memzero): for the request strings a PIN arrived in.
void wipe(std::string& text) noexcept;
/// Wipes every string in a parsed request, for the copies a PIN may have left there.
void wipe_strings(protocol::Json& value) noexcept;

}  // namespace cardbridge::daemon
