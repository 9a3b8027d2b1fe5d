#pragma once
// The PIV card application (NIST SP 800-73-4 part 2) as typed calls: each one command through
// pcsc::exchange, its status words turned into answers or cardbridge::Errors here and nowhere
// else. The caller holds the PC/SC transaction; nothing here opens one or retries a VERIFY.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cardbridge/protocol/apdu.hpp"
#include "pcsc/apdu_exchange.hpp"
#include "pin/secure_pin.hpp"
#include "tokens/pin_state.hpp"

namespace cardbridge::daemon::tokens {

/// The key slots that hold a certificate (SP 800-73-4 part 1 §3.1), by key reference.
enum class PivSlot : std::uint8_t {
    AUTHENTICATION = 0x9A,
    SIGNATURE = 0x9C,
    KEY_MANAGEMENT = 0x9D,
    CARD_AUTHENTICATION = 0x9E,
};
inline constexpr std::array kPivSlots{PivSlot::AUTHENTICATION, PivSlot::SIGNATURE,
                                      PivSlot::KEY_MANAGEMENT, PivSlot::CARD_AUTHENTICATION};

/// "9A", "9C", "9D", "9E".
std::string_view slot_name(PivSlot slot) noexcept;

/// SP 800-78-4 algorithm identifiers, plus SM2 under cardbridge's own F2
/// (tools/virtual-card/PROFILE.md).
enum class PivAlgorithm : std::uint8_t {
    RSA_1024 = 0x06,
    RSA_2048 = 0x07,
    ECC_P256 = 0x11,
    ECC_P384 = 0x14,
    SM2 = 0xF2,
};

namespace piv {

/// SELECT the PIV application; Error(UNSUPPORTED_TOKEN) when the card has none.
void select(const pcsc::Transmit& transmit);

/// The card's GUID from the CHUID (tag 34), 16 bytes. Error(UNSUPPORTED_TOKEN) when the card
/// has no CHUID: without it a PIV card has no identity we could show or find again.
protocol::Bytes chuid_guid(const pcsc::Transmit& transmit);

/// The DER certificate of `slot`, or nothing when the slot has none. A compressed certificate
/// is Error(UNSUPPORTED_TOKEN).
std::optional<protocol::Bytes> certificate(const pcsc::Transmit& transmit, PivSlot slot);

PinState pin_state(const pcsc::Transmit& transmit);

/// Error(PIN_FORMAT) unless 6 to 8 digits (checked before the card sees anything);
/// Error(PIN_INCORRECT, …, retries) for a wrong PIN, Error(PIN_BLOCKED, …, 0) for a blocked one.
void verify_pin(const pcsc::Transmit& transmit, const SecurePin& pin);
void change_pin(const pcsc::Transmit& transmit, const SecurePin& current, const SecurePin& next);

/// GENERAL AUTHENTICATE 7C { 82 00, 81 challenge }: the key in `slot` transforms `challenge`
/// (a padded block for RSA, a digest of the field size for EC and SM2). Returns tag 82 of the
/// answer: the RSA block, or the DER SEQUENCE { r, s }.
protocol::Bytes sign(const pcsc::Transmit& transmit, PivAlgorithm algorithm, PivSlot slot,
                     protocol::ByteView challenge);

}  // namespace piv

}  // namespace cardbridge::daemon::tokens
