#pragma once
// ISO 7816-4 command and response APDUs as values. Pure: the daemon uses them towards real cards,
// the virtual card uses them to read what it is sent. Malformed bytes throw
// Error(CARD_ERROR); a card answers those with a status word instead (see tools/virtual-card).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace cardbridge::protocol {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

class StatusWord {
public:
    constexpr StatusWord(std::uint8_t sw1, std::uint8_t sw2) noexcept
        : value_(static_cast<std::uint16_t>(sw1 << 8 | sw2)) {}
    constexpr explicit StatusWord(std::uint16_t value) noexcept : value_(value) {}

    constexpr std::uint16_t value() const noexcept { return value_; }
    constexpr std::uint8_t sw1() const noexcept { return static_cast<std::uint8_t>(value_ >> 8); }
    constexpr std::uint8_t sw2() const noexcept { return static_cast<std::uint8_t>(value_); }
    constexpr bool ok() const noexcept { return value_ == 0x9000; }

    /// 61xx: this many more bytes wait for GET RESPONSE (61 00 means 256 or more).
    std::optional<std::size_t> bytes_remaining() const noexcept;
    /// 6Cxx: the command must be repeated with exactly this Le (6C 00 means 256).
    std::optional<std::size_t> exact_length() const noexcept;
    /// 63Cx: a wrong PIN/PUK, x tries are left.
    std::optional<int> retries_left() const noexcept;

    /// 61xx for `remaining` (> 0) bytes; 256 or more are announced as 61 00.
    static StatusWord more_data(std::size_t remaining) noexcept;
    /// 6Cxx for an answer of `length` (1..256) bytes.
    static StatusWord wrong_le(std::size_t length) noexcept;
    /// 63Cx; `retries` is clamped to 0..15.
    static StatusWord retries(int retries) noexcept;

    friend constexpr bool operator==(StatusWord, StatusWord) noexcept = default;

private:
    std::uint16_t value_;
};

namespace sw {
inline constexpr StatusWord kOk{0x90, 0x00};
inline constexpr StatusWord kWrongLength{0x67, 0x00};
inline constexpr StatusWord kLastCommandOfChainExpected{0x68, 0x83};
inline constexpr StatusWord kSecurityStatusNotSatisfied{0x69, 0x82};
inline constexpr StatusWord kAuthenticationBlocked{0x69, 0x83};
inline constexpr StatusWord kConditionsNotSatisfied{0x69, 0x85};
inline constexpr StatusWord kWrongData{0x6A, 0x80};
inline constexpr StatusWord kNotFound{0x6A, 0x82};
inline constexpr StatusWord kIncorrectP1P2{0x6A, 0x86};
inline constexpr StatusWord kReferenceNotFound{0x6A, 0x88};
inline constexpr StatusWord kInsNotSupported{0x6D, 0x00};
inline constexpr StatusWord kClaNotSupported{0x6E, 0x00};
inline constexpr StatusWord kNoPreciseDiagnosis{0x6F, 0x00};
}  // namespace sw

/// Overwrites bytes that may have held a secret (a PIN in an APDU) in a way the compiler keeps.
void wipe(Bytes& bytes) noexcept;

/// Ne as ISO 7816-4 counts it: 0 = no Le field; up to 256 fits a short APDU, up to 65536 an
/// extended one.
class CommandApdu {
public:
    static constexpr std::size_t kMaxShortData = 255;
    static constexpr std::size_t kMaxShortNe = 256;
    static constexpr std::size_t kMaxExtendedData = 65535;
    static constexpr std::size_t kMaxExtendedNe = 65536;
    static constexpr std::uint8_t kChainingBit = 0x10;

    /// Throws Error(INTERNAL) when data or ne exceed what an extended APDU can carry. The
    /// encoding is short when data and ne fit, extended otherwise.
    CommandApdu(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2,
                Bytes data = {}, std::size_t ne = 0);
    /// The data of a VERIFY or CHANGE REFERENCE DATA is a PIN: every command, and so every
    /// copy, chain link or repeat of one, wipes its data when it goes.
    ~CommandApdu();
    CommandApdu(const CommandApdu&) = default;
    CommandApdu(CommandApdu&&) noexcept = default;
    CommandApdu& operator=(const CommandApdu& other);
    CommandApdu& operator=(CommandApdu&& other) noexcept;

    /// Strict ISO 7816-4 cases 1, 2, 3, 4 in short and extended form; anything else (Lc not
    /// matching the length, Lc of zero, a lone extended marker) throws Error(CARD_ERROR).
    static CommandApdu parse(ByteView bytes);

    std::uint8_t cla() const noexcept { return cla_; }
    std::uint8_t ins() const noexcept { return ins_; }
    std::uint8_t p1() const noexcept { return p1_; }
    std::uint8_t p2() const noexcept { return p2_; }
    const Bytes& data() const noexcept { return data_; }
    std::size_t ne() const noexcept { return ne_; }
    bool extended() const noexcept { return extended_; }
    /// CLA bit 5 (0x10): more command data follows in the next APDU.
    bool chained() const noexcept { return (cla_ & kChainingBit) != 0; }

    /// The same command, encoded in extended form even though it would fit a short one.
    CommandApdu as_extended() const;
    Bytes encode() const;
    /// Splits the data into short APDUs of at most `chunk` bytes (1..255) with the chaining bit
    /// on all but the last, which alone carries Le. A command that fits is returned alone.
    std::vector<CommandApdu> chain(std::size_t chunk = kMaxShortData) const;

    // Named commands (SP 800-73-4 part 2 for the PIV ones).
    static CommandApdu select_aid(ByteView aid);
    /// GET DATA with the tag list `5C <tag>`, e.g. tag {0x5F, 0xC1, 0x02} for the CHUID.
    static CommandApdu get_data(ByteView tag);
    /// VERIFY with the reference data as given (PIV pads PINs to 8 bytes with FF itself).
    static CommandApdu verify(std::uint8_t key_ref, ByteView reference_data);
    /// VERIFY without data: asks for the verification status (9000 or 63Cx).
    static CommandApdu verify_status(std::uint8_t key_ref);
    /// VERIFY with P1 FF: resets the verified state of the reference.
    static CommandApdu verify_reset(std::uint8_t key_ref);
    static CommandApdu change_reference_data(std::uint8_t key_ref, ByteView old_data,
                                             ByteView new_data);
    static CommandApdu reset_retry_counter(std::uint8_t key_ref, ByteView puk, ByteView new_pin);
    /// `dynamic_auth_template` is the whole `7C L {...}` object.
    static CommandApdu general_authenticate(std::uint8_t algorithm, std::uint8_t key_ref,
                                            ByteView dynamic_auth_template);
    static CommandApdu get_response(std::size_t ne);

    friend bool operator==(const CommandApdu&, const CommandApdu&) = default;

private:
    std::uint8_t cla_;
    std::uint8_t ins_;
    std::uint8_t p1_;
    std::uint8_t p2_;
    Bytes data_;
    std::size_t ne_;
    bool extended_;
};

class ResponseApdu {
public:
    ResponseApdu(Bytes data, StatusWord sw) : data_(std::move(data)), sw_(sw) {}
    explicit ResponseApdu(StatusWord sw) : sw_(sw) {}

    /// Data ‖ SW1 SW2; fewer than two bytes throw Error(CARD_ERROR).
    static ResponseApdu parse(ByteView bytes);

    const Bytes& data() const noexcept { return data_; }
    Bytes& data() noexcept { return data_; }
    StatusWord sw() const noexcept { return sw_; }
    Bytes encode() const;

    friend bool operator==(const ResponseApdu&, const ResponseApdu&) = default;

private:
    Bytes data_;
    StatusWord sw_;
};

}  // namespace cardbridge::protocol
