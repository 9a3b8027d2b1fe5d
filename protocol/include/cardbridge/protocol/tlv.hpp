#pragma once
// BER-TLV as smart cards use it (ISO 7816-4 §5.2, SP 800-73-4): tags of one to three bytes
// (7E, 5F2F, 5FC102), definite lengths of at most three length bytes in their shortest form.
// The reader trusts nothing: every tag and length is checked against the buffer, and a
// violation throws Error(CARD_ERROR). Values are views into the caller's buffer.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "cardbridge/protocol/apdu.hpp"

namespace cardbridge::protocol {

/// A tag by its encoded bytes read as a big-endian number: Tag{0x5FC102} is 5F C1 02.
class Tag {
public:
    constexpr explicit Tag(std::uint32_t value) noexcept : value_(value) {}

    constexpr std::uint32_t value() const noexcept { return value_; }
    /// The first byte's bit 6: the value is itself a sequence of TLVs.
    bool constructed() const noexcept;
    /// Throws Error(INTERNAL) for a value that is not a well-formed tag of 1-3 bytes.
    Bytes encode() const;

    friend constexpr bool operator==(Tag, Tag) noexcept = default;

private:
    std::uint32_t value_;
};

struct Tlv {
    Tag tag;
    ByteView value;
};

class TlvReader {
public:
    static constexpr std::size_t kMaxTagBytes = 3;
    static constexpr std::size_t kMaxLength = 0xFFFFFF;

    explicit TlvReader(ByteView bytes) noexcept : rest_(bytes) {}

    bool at_end() const noexcept { return rest_.empty(); }
    /// Reads the next TLV; throws Error(CARD_ERROR) at the end or for a malformed one.
    Tlv next();

private:
    ByteView rest_;
};

/// A bare tag filling `bytes`, as tag lists (PIV GET DATA's 5C) carry them; throws
/// Error(CARD_ERROR) for anything else.
Tag parse_tag(ByteView bytes);

/// The single TLV `bytes` consists of, which must carry `tag`; anything before or after it, or
/// another tag, throws Error(CARD_ERROR).
ByteView expect_tlv(ByteView bytes, Tag tag);
/// The value of the first TLV with `tag` among the siblings in `bytes` (which must all be
/// well-formed), or nothing.
std::optional<ByteView> find_tlv(ByteView bytes, Tag tag);

class TlvWriter {
public:
    /// Appends tag, shortest length and value; throws Error(INTERNAL) above kMaxLength.
    TlvWriter& add(Tag tag, ByteView value);
    TlvWriter& add(Tag tag, const TlvWriter& children) { return add(tag, children.bytes()); }
    TlvWriter& add_byte(Tag tag, std::uint8_t value) { return add(tag, ByteView(&value, 1)); }
    TlvWriter& add_empty(Tag tag) { return add(tag, ByteView{}); }

    const Bytes& bytes() const& noexcept { return out_; }
    Bytes bytes() && noexcept { return std::move(out_); }

private:
    Bytes out_;
};

}  // namespace cardbridge::protocol
