#include "cardbridge/protocol/tlv.hpp"

#include <string>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::protocol {
namespace {

constexpr std::uint8_t kMoreTagBytes = 0x1F;  // low five bits of a first tag byte
constexpr std::uint8_t kTagContinues = 0x80;  // high bit of a subsequent tag byte

[[noreturn]] void malformed(const std::string& what) {
    throw Error(Reason::CARD_ERROR, "malformed BER-TLV: " + what);
}

// Tags as bytes, in order; throws for encodings this reader would itself reject.
Bytes tag_bytes(std::uint32_t value) {
    Bytes out;
    for (int shift = 24; shift >= 0; shift -= 8)
        if (!out.empty() || (value >> shift) != 0 || shift == 0)
            out.push_back(static_cast<std::uint8_t>(value >> shift));
    const bool multi = (out[0] & kMoreTagBytes) == kMoreTagBytes;
    bool ok = out.size() <= TlvReader::kMaxTagBytes && out[0] != 0x00 && out[0] != 0xFF &&
              multi == (out.size() > 1);
    for (std::size_t i = 1; ok && i < out.size(); ++i) {
        const bool last = i + 1 == out.size();
        ok = ((out[i] & kTagContinues) == 0) == last && !(i == 1 && out[i] == kTagContinues);
    }
    if (!ok) throw Error(Reason::INTERNAL, "not a BER-TLV tag of 1-3 bytes");
    return out;
}

// Reads the tag at `at` and advances past it.
Tag read_tag(ByteView bytes, std::size_t& at) {
    const std::uint8_t first = bytes[at++];
    // 00 and FF are the padding ISO 7816-4 allows between objects; no PIV object uses it.
    if (first == 0x00 || first == 0xFF) malformed("padding byte where a tag was expected");
    std::uint32_t tag = first;
    if ((first & kMoreTagBytes) != kMoreTagBytes) return Tag(tag);
    for (std::size_t n = 1;; ++n) {
        if (at == bytes.size()) malformed("tag runs past the end");
        if (n == TlvReader::kMaxTagBytes) malformed("tag longer than 3 bytes");
        const std::uint8_t b = bytes[at++];
        if (n == 1 && b == kTagContinues) malformed("tag with a leading zero group");
        tag = tag << 8 | b;
        if ((b & kTagContinues) == 0) return Tag(tag);
    }
}

}  // namespace

bool Tag::constructed() const noexcept {
    std::uint32_t first = value_;
    while (first > 0xFF) first >>= 8;
    return (first & 0x20) != 0;
}

Bytes Tag::encode() const {
    return tag_bytes(value_);
}

Tlv TlvReader::next() {
    if (rest_.empty()) malformed("no TLV left");
    std::size_t at = 0;
    const Tag tag = read_tag(rest_, at);
    if (at == rest_.size()) malformed("length missing");
    const std::uint8_t l0 = rest_[at++];
    std::size_t length = l0;
    if (l0 == 0x80) malformed("indefinite length");
    if (l0 > 0x80) {
        const std::size_t n = l0 & 0x7Fu;
        if (n > 3) malformed("length field longer than 3 bytes");
        if (rest_.size() - at < n) malformed("length runs past the end");
        length = 0;
        for (std::size_t i = 0; i < n; ++i) length = length << 8 | rest_[at++];
        const std::size_t shortest = length < 0x80      ? 0
                                     : length <= 0xFF   ? 1
                                     : length <= 0xFFFF ? 2
                                                        : 3;
        if (shortest != n) malformed("length not in its shortest form");
    }
    if (rest_.size() - at < length) malformed("value runs past the end");
    const Tlv tlv{tag, rest_.subspan(at, length)};
    rest_ = rest_.subspan(at + length);
    return tlv;
}

Tag parse_tag(ByteView bytes) {
    if (bytes.empty()) malformed("empty tag");
    std::size_t at = 0;
    const Tag tag = read_tag(bytes, at);
    if (at != bytes.size()) malformed("bytes after the tag");
    return tag;
}

ByteView expect_tlv(ByteView bytes, Tag tag) {
    TlvReader reader(bytes);
    const Tlv tlv = reader.next();
    if (tlv.tag != tag) malformed("unexpected tag");
    if (!reader.at_end()) malformed("bytes after the object");
    return tlv.value;
}

std::optional<ByteView> find_tlv(ByteView bytes, Tag tag) {
    std::optional<ByteView> found;
    for (TlvReader reader(bytes); !reader.at_end();) {
        const Tlv tlv = reader.next();
        if (tlv.tag == tag && !found) found = tlv.value;
    }
    return found;
}

TlvWriter& TlvWriter::add(Tag tag, ByteView value) {
    const std::size_t n = value.size();
    if (n > TlvReader::kMaxLength) throw Error(Reason::INTERNAL, "BER-TLV value too long");
    const Bytes t = tag.encode();
    out_.insert(out_.end(), t.begin(), t.end());
    if (n >= 0x80) {
        const std::uint8_t count = n <= 0xFF ? 1 : n <= 0xFFFF ? 2 : 3;
        out_.push_back(static_cast<std::uint8_t>(0x80 | count));
        for (int i = count - 1; i >= 0; --i)
            out_.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    } else {
        out_.push_back(static_cast<std::uint8_t>(n));
    }
    out_.insert(out_.end(), value.begin(), value.end());
    return *this;
}

}  // namespace cardbridge::protocol
