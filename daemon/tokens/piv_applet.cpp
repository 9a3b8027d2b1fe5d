#include "tokens/piv_applet.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/tlv.hpp"

namespace cardbridge::daemon::tokens {
namespace {

using protocol::Bytes;
using protocol::ByteView;
using protocol::CommandApdu;
using protocol::ResponseApdu;
using protocol::StatusWord;
using protocol::Tag;
namespace sw = protocol::sw;

// NIST's RID, PIX 00 00 10 00 (PIV) and version 01 00.
constexpr std::uint8_t kPivAid[] = {0xA0, 0x00, 0x00, 0x03, 0x08, 0x00,
                                    0x00, 0x10, 0x00, 0x01, 0x00};
constexpr std::uint8_t kChuidTag[] = {0x5F, 0xC1, 0x02};

constexpr Tag kDataObject{0x53};
constexpr Tag kGuid{0x34};
constexpr Tag kCertificate{0x70};
constexpr Tag kCertInfo{0x71};
constexpr Tag kDynamicAuthentication{0x7C};
constexpr Tag kChallenge{0x81};
constexpr Tag kResponse{0x82};

constexpr std::size_t kGuidSize = 16;
// CertInfo (SP 800-73-4 part 1 Table 10): bit 0 CompressionTech (gzip), bit 1 IsX509 (0 = X.509).
constexpr std::uint8_t kCertInfoCompressed = 0x01;
constexpr std::uint8_t kCertInfoNotX509 = 0x02;

std::string hex(StatusWord status) {
    char text[5];
    std::snprintf(text, sizeof text, "%04X", status.value());
    return text;
}

[[noreturn]] void unexpected(std::string_view command, StatusWord status) {
    throw Error(Reason::CARD_ERROR,
                "the card answered " + std::string(command) + " with " + hex(status));
}

constexpr std::uint8_t kPinReference = 0x80;
constexpr std::size_t kPinSize = 8;
constexpr std::size_t kMinPinDigits = 6;
constexpr std::uint8_t kPinPad = 0xFF;

// The PIN as VERIFY carries it, digits then FF up to 8 bytes, wiped when it goes.
class PaddedPin {
public:
    explicit PaddedPin(std::span<const unsigned char> digits) {
        const bool all_digits = std::all_of(digits.begin(), digits.end(),
                                            [](unsigned char c) { return c >= '0' && c <= '9'; });
        if (digits.size() < kMinPinDigits || digits.size() > kPinSize || !all_digits)
            throw Error(Reason::PIN_FORMAT, "a PIV PIN is 6 to 8 digits");
        bytes_.fill(kPinPad);
        std::copy(digits.begin(), digits.end(), bytes_.begin());
    }
    ~PaddedPin() { sodium_memzero(bytes_.data(), bytes_.size()); }
    PaddedPin(const PaddedPin&) = delete;
    PaddedPin& operator=(const PaddedPin&) = delete;

    ByteView view() const noexcept { return bytes_; }

private:
    std::array<std::uint8_t, kPinSize> bytes_{};
};

PaddedPin padded(const SecurePin& pin) {
    return pin.with_bytes([](std::span<const unsigned char> digits) { return PaddedPin(digits); });
}

// VERIFY and CHANGE REFERENCE DATA answer alike. 63C0 and 6983 both mean blocked: some cards
// say 63C0 for the attempt that used the last try, 6983 for any attempt after it.
void check_pin_answer(std::string_view command, StatusWord status) {
    if (status.ok()) return;
    if (status == sw::kAuthenticationBlocked)
        throw Error(Reason::PIN_BLOCKED, "the PIN is blocked", 0);
    if (const auto retries = status.retries_left()) {
        if (*retries == 0) throw Error(Reason::PIN_BLOCKED, "wrong PIN; the PIN is now blocked", 0);
        throw Error(Reason::PIN_INCORRECT,
                    "wrong PIN; " + std::to_string(*retries) + (*retries == 1 ? " try" : " tries") +
                        " left",
                    *retries);
    }
    unexpected(command, status);
}

std::uint8_t object_byte(PivSlot slot) {
    switch (slot) {
        case PivSlot::AUTHENTICATION:
            return 0x05;
        case PivSlot::SIGNATURE:
            return 0x0A;
        case PivSlot::KEY_MANAGEMENT:
            return 0x0B;
        case PivSlot::CARD_AUTHENTICATION:
            return 0x01;
    }
    return 0;
}

}  // namespace

std::string_view slot_name(PivSlot slot) noexcept {
    switch (slot) {
        case PivSlot::AUTHENTICATION:
            return "9A";
        case PivSlot::SIGNATURE:
            return "9C";
        case PivSlot::KEY_MANAGEMENT:
            return "9D";
        case PivSlot::CARD_AUTHENTICATION:
            return "9E";
    }
    return "";
}

namespace piv {

void select(const pcsc::Transmit& transmit) {
    const ResponseApdu answer = pcsc::exchange(transmit, CommandApdu::select_aid(kPivAid));
    // Cards without the application answer 6A82, 6D00, 6E00 or worse; all mean "not PIV".
    if (!answer.sw().ok())
        throw Error(Reason::UNSUPPORTED_TOKEN,
                    "the card has no PIV application (SELECT answered " + hex(answer.sw()) + ")");
}

Bytes chuid_guid(const pcsc::Transmit& transmit) {
    const ResponseApdu answer = pcsc::exchange(transmit, CommandApdu::get_data(kChuidTag));
    if (answer.sw() == sw::kNotFound)
        throw Error(Reason::UNSUPPORTED_TOKEN, "the PIV card has no CHUID, so no card identity");
    if (!answer.sw().ok()) unexpected("GET DATA (CHUID)", answer.sw());
    const auto guid = protocol::find_tlv(protocol::expect_tlv(answer.data(), kDataObject), kGuid);
    if (!guid || guid->size() != kGuidSize)
        throw Error(Reason::CARD_ERROR, "the card's CHUID has no 16-byte GUID");
    return Bytes(guid->begin(), guid->end());
}

std::optional<Bytes> certificate(const pcsc::Transmit& transmit, PivSlot slot) {
    const std::uint8_t tag[] = {0x5F, 0xC1, object_byte(slot)};
    const ResponseApdu answer = pcsc::exchange(transmit, CommandApdu::get_data(tag));
    if (answer.sw() == sw::kNotFound) return std::nullopt;  // an empty slot
    const std::string name = "GET DATA (certificate " + std::string(slot_name(slot)) + ")";
    if (!answer.sw().ok()) unexpected(name, answer.sw());
    const ByteView object = protocol::expect_tlv(answer.data(), kDataObject);
    const auto der = protocol::find_tlv(object, kCertificate);
    if (!der || der->empty()) return std::nullopt;
    if (const auto info = protocol::find_tlv(object, kCertInfo); info && !info->empty()) {
        if ((*info)[0] & kCertInfoCompressed)
            throw Error(Reason::UNSUPPORTED_TOKEN,
                        "the certificate in slot " + std::string(slot_name(slot)) +
                            " is stored compressed, which cardbridge does not read");
        if ((*info)[0] & kCertInfoNotX509)
            throw Error(Reason::UNSUPPORTED_TOKEN, "the certificate in slot " +
                                                       std::string(slot_name(slot)) +
                                                       " is not an X.509 certificate");
    }
    return Bytes(der->begin(), der->end());
}

PinState pin_state(const pcsc::Transmit& transmit) {
    const StatusWord status =
        pcsc::exchange(transmit, CommandApdu::verify_status(kPinReference)).sw();
    if (status.ok()) return {.verified = true, .blocked = false, .retries_left = std::nullopt};
    if (status == sw::kAuthenticationBlocked)
        return {.verified = false, .blocked = true, .retries_left = 0};
    if (const auto retries = status.retries_left())
        return {.verified = false, .blocked = *retries == 0, .retries_left = *retries};
    return {};  // a card that will not tell without a real VERIFY
}

// Sent once: a wrong PIN costs a try, so no answer here ever leads to a second VERIFY.
void verify_pin(const pcsc::Transmit& transmit, const SecurePin& pin) {
    const PaddedPin reference = padded(pin);
    const StatusWord status =
        pcsc::exchange(transmit, CommandApdu::verify(kPinReference, reference.view())).sw();
    check_pin_answer("VERIFY", status);
}

void change_pin(const pcsc::Transmit& transmit, const SecurePin& current, const SecurePin& next) {
    const PaddedPin old_reference = padded(current);
    const PaddedPin new_reference = padded(next);
    const StatusWord status =
        pcsc::exchange(transmit, CommandApdu::change_reference_data(
                                     kPinReference, old_reference.view(), new_reference.view()))
            .sw();
    check_pin_answer("CHANGE REFERENCE DATA", status);
}

Bytes sign(const pcsc::Transmit& transmit, PivAlgorithm algorithm, PivSlot slot,
           ByteView challenge) {
    protocol::TlvWriter members;
    members.add_empty(kResponse).add(kChallenge, challenge);
    const Bytes request =
        std::move(protocol::TlvWriter().add(kDynamicAuthentication, members)).bytes();
    const ResponseApdu answer = pcsc::exchange(
        transmit, CommandApdu::general_authenticate(static_cast<std::uint8_t>(algorithm),
                                                    static_cast<std::uint8_t>(slot), request));
    // 6982 is no fault of card or daemon: the slot's PIN policy (9C before every signature)
    // was not met. It is the caller who must ask for the PIN, hence NOT_PERMITTED.
    if (answer.sw() == sw::kSecurityStatusNotSatisfied)
        throw Error(Reason::NOT_PERMITTED, "the card refuses to sign with slot " +
                                               std::string(slot_name(slot)) +
                                               ": the PIN is not verified");
    if (!answer.sw().ok()) unexpected("GENERAL AUTHENTICATE", answer.sw());
    const auto signature =
        protocol::find_tlv(protocol::expect_tlv(answer.data(), kDynamicAuthentication), kResponse);
    if (!signature || signature->empty())
        throw Error(Reason::CARD_ERROR, "the card's GENERAL AUTHENTICATE answer has no signature");
    return Bytes(signature->begin(), signature->end());
}

}  // namespace piv

}  // namespace cardbridge::daemon::tokens
