#pragma once
// The card's PIN and PUK: values, retry counters and what the current session has verified.
// Counters belong to the card and survive power cycles; verified states belong to the session.

#include <optional>
#include <string_view>

#include "cardbridge/protocol/apdu.hpp"
#include "piv.hpp"

namespace cardbridge::vcard {

/// A PIN as VERIFY carries it (SP 800-73-4 part 2): 6-8 ASCII digits padded to 8 bytes
/// with FF; nothing when `text` is not 6-8 digits.
std::optional<protocol::Bytes> padded_pin(std::string_view text);

class PinState {
public:
    static constexpr std::size_t kReferenceSize = 8;

    /// `pin` as padded_pin() gives it, `puk` 8 bytes, retries 1..15 (the profile checks them).
    PinState(protocol::Bytes pin, int pin_retries, protocol::Bytes puk, int puk_retries);

    /// VERIFY: empty data asks for the status; otherwise a wrong value costs a retry.
    protocol::StatusWord verify(piv::KeyRef ref, protocol::ByteView data);
    /// VERIFY with P1 FF.
    void forget(piv::KeyRef ref) noexcept;
    /// CHANGE REFERENCE DATA: the current value then the new one, 8 bytes each.
    protocol::StatusWord change(piv::KeyRef ref, protocol::ByteView data);
    /// RESET RETRY COUNTER: the PUK then the new PIN, 8 bytes each.
    protocol::StatusWord unblock_pin(protocol::ByteView data);

    bool pin_verified() const noexcept { return pin_.verified; }
    /// For PIN-always keys: true when the PIN was verified, and is still, since the last such
    /// use, which this call consumes.
    bool consume_fresh_pin() noexcept;
    void end_session() noexcept;

private:
    struct Secret {
        protocol::Bytes value;
        int max_retries;
        int retries_left;
        bool verified = false;
    };
    Secret& secret(piv::KeyRef ref) noexcept { return ref == piv::KeyRef::PIN ? pin_ : puk_; }
    // Checks `candidate` against `s`, counting a failure; kOk or 63Cx / 6983.
    static protocol::StatusWord attempt(Secret& s, protocol::ByteView candidate);

    Secret pin_;
    Secret puk_;
    bool fresh_pin_ = false;
};

}  // namespace cardbridge::vcard
