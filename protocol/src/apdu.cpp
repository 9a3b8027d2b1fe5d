#include "cardbridge/protocol/apdu.hpp"

#include <algorithm>
#include <string>

#include "cardbridge/protocol/error.hpp"

#include <openssl/crypto.h>

namespace cardbridge::protocol {
namespace {

[[noreturn]] void malformed(const std::string& what) {
    throw Error(Reason::CARD_ERROR, "malformed APDU: " + what);
}

std::size_t be16(ByteView bytes, std::size_t at) {
    return static_cast<std::size_t>(bytes[at]) << 8 | bytes[at + 1];
}

void put_be16(Bytes& out, std::size_t value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value));
}

// Le bytes encode Ne with the maximum as zero: 00 = 256 short, 00 00 = 65536 extended.
std::size_t short_ne(std::uint8_t le) {
    return le == 0 ? CommandApdu::kMaxShortNe : le;
}
std::size_t extended_ne(std::size_t le) {
    return le == 0 ? CommandApdu::kMaxExtendedNe : le;
}

Bytes concat(ByteView a, ByteView b) {
    Bytes out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

}  // namespace

void wipe(Bytes& bytes) noexcept {
    if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

std::optional<std::size_t> StatusWord::bytes_remaining() const noexcept {
    if (sw1() != 0x61) return std::nullopt;
    return sw2() == 0 ? 256 : sw2();
}

std::optional<std::size_t> StatusWord::exact_length() const noexcept {
    if (sw1() != 0x6C) return std::nullopt;
    return sw2() == 0 ? 256 : sw2();
}

std::optional<int> StatusWord::retries_left() const noexcept {
    if (sw1() != 0x63 || (sw2() & 0xF0) != 0xC0) return std::nullopt;
    return sw2() & 0x0F;
}

StatusWord StatusWord::more_data(std::size_t remaining) noexcept {
    return {0x61, static_cast<std::uint8_t>(remaining >= 256 ? 0 : remaining)};
}

StatusWord StatusWord::wrong_le(std::size_t length) noexcept {
    return {0x6C, static_cast<std::uint8_t>(length >= 256 ? 0 : length)};
}

StatusWord StatusWord::retries(int retries) noexcept {
    return {0x63, static_cast<std::uint8_t>(0xC0 | std::clamp(retries, 0, 15))};
}

CommandApdu::CommandApdu(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2,
                         Bytes data, std::size_t ne)
    : cla_(cla), ins_(ins), p1_(p1), p2_(p2), data_(std::move(data)), ne_(ne) {
    if (data_.size() > kMaxExtendedData || ne_ > kMaxExtendedNe)
        throw Error(Reason::INTERNAL, "command APDU too large for any encoding");
    extended_ = data_.size() > kMaxShortData || ne_ > kMaxShortNe;
}

CommandApdu::~CommandApdu() { wipe(data_); }

CommandApdu& CommandApdu::operator=(const CommandApdu& other) {
    if (this != &other) {
        wipe(data_);
        cla_ = other.cla_, ins_ = other.ins_, p1_ = other.p1_, p2_ = other.p2_;
        data_ = other.data_;
        ne_ = other.ne_;
    }
    return *this;
}

CommandApdu& CommandApdu::operator=(CommandApdu&& other) noexcept {
    if (this != &other) {
        wipe(data_);
        cla_ = other.cla_, ins_ = other.ins_, p1_ = other.p1_, p2_ = other.p2_;
        data_ = std::move(other.data_);
        ne_ = other.ne_;
    }
    return *this;
}

CommandApdu CommandApdu::parse(ByteView b) {
    if (b.size() < 4) malformed("shorter than a header");
    CommandApdu apdu(b[0], b[1], b[2], b[3]);
    const std::size_t size = b.size();
    if (size == 4) return apdu;  // case 1
    if (size == 5) {             // case 2S
        apdu.ne_ = short_ne(b[4]);
        return apdu;
    }
    if (b[4] != 0) {  // case 3S / 4S
        const std::size_t lc = b[4];
        if (size != 5 + lc && size != 6 + lc) malformed("Lc does not match the length");
        apdu.data_.assign(b.begin() + 5, b.begin() + 5 + static_cast<std::ptrdiff_t>(lc));
        if (size == 6 + lc) apdu.ne_ = short_ne(b.back());
        return apdu;
    }
    apdu.extended_ = true;
    if (size == 7) {  // case 2E
        apdu.ne_ = extended_ne(be16(b, 5));
        return apdu;
    }
    if (size < 7) malformed("truncated extended length");
    const std::size_t lc = be16(b, 5);
    if (lc == 0) malformed("extended Lc of zero");
    if (size != 7 + lc && size != 9 + lc) malformed("extended Lc does not match the length");
    apdu.data_.assign(b.begin() + 7, b.begin() + 7 + static_cast<std::ptrdiff_t>(lc));
    if (size == 9 + lc) apdu.ne_ = extended_ne(be16(b, size - 2));
    return apdu;
}

CommandApdu CommandApdu::as_extended() const {
    CommandApdu copy = *this;
    copy.extended_ = true;
    return copy;
}

Bytes CommandApdu::encode() const {
    Bytes out{cla_, ins_, p1_, p2_};
    out.reserve(4 + 3 + data_.size() + 2);
    if (!extended_) {
        if (!data_.empty()) {
            out.push_back(static_cast<std::uint8_t>(data_.size()));
            out.insert(out.end(), data_.begin(), data_.end());
        }
        if (ne_ != 0) out.push_back(static_cast<std::uint8_t>(ne_ == kMaxShortNe ? 0 : ne_));
        return out;
    }
    if (data_.empty() && ne_ == 0) return out;
    out.push_back(0);  // the extended-length marker precedes Lc or, without data, Le
    if (!data_.empty()) {
        put_be16(out, data_.size());
        out.insert(out.end(), data_.begin(), data_.end());
    }
    if (ne_ != 0) put_be16(out, ne_ == kMaxExtendedNe ? 0 : ne_);
    return out;
}

std::vector<CommandApdu> CommandApdu::chain(std::size_t chunk) const {
    if (chunk == 0 || chunk > kMaxShortData)
        throw Error(Reason::INTERNAL, "command chaining chunk must be 1..255 bytes");
    if (data_.size() <= chunk) return {*this};
    std::vector<CommandApdu> parts;
    for (std::size_t at = 0; at < data_.size(); at += chunk) {
        const std::size_t n = std::min(chunk, data_.size() - at);
        const bool last = at + n == data_.size();
        const auto first = data_.begin() + static_cast<std::ptrdiff_t>(at);
        parts.emplace_back(static_cast<std::uint8_t>(last ? cla_ : cla_ | kChainingBit), ins_, p1_,
                           p2_, Bytes(first, first + static_cast<std::ptrdiff_t>(n)),
                           last ? std::min(ne_, kMaxShortNe) : 0);
    }
    return parts;
}

CommandApdu CommandApdu::select_aid(ByteView aid) {
    return {0x00, 0xA4, 0x04, 0x00, Bytes(aid.begin(), aid.end()), kMaxShortNe};
}

CommandApdu CommandApdu::get_data(ByteView tag) {
    if (tag.empty() || tag.size() > 3) throw Error(Reason::INTERNAL, "GET DATA tag of 1-3 bytes");
    Bytes data{0x5C, static_cast<std::uint8_t>(tag.size())};
    data.insert(data.end(), tag.begin(), tag.end());
    return {0x00, 0xCB, 0x3F, 0xFF, std::move(data), kMaxShortNe};
}

CommandApdu CommandApdu::verify(std::uint8_t key_ref, ByteView reference_data) {
    return {0x00, 0x20, 0x00, key_ref, Bytes(reference_data.begin(), reference_data.end())};
}

CommandApdu CommandApdu::verify_status(std::uint8_t key_ref) {
    return {0x00, 0x20, 0x00, key_ref};
}

CommandApdu CommandApdu::verify_reset(std::uint8_t key_ref) {
    return {0x00, 0x20, 0xFF, key_ref};
}

CommandApdu CommandApdu::change_reference_data(std::uint8_t key_ref, ByteView old_data,
                                               ByteView new_data) {
    return {0x00, 0x24, 0x00, key_ref, concat(old_data, new_data)};
}

CommandApdu CommandApdu::reset_retry_counter(std::uint8_t key_ref, ByteView puk, ByteView new_pin) {
    return {0x00, 0x2C, 0x00, key_ref, concat(puk, new_pin)};
}

CommandApdu CommandApdu::general_authenticate(std::uint8_t algorithm, std::uint8_t key_ref,
                                              ByteView dynamic_auth_template) {
    return {0x00,
            0x87,
            algorithm,
            key_ref,
            Bytes(dynamic_auth_template.begin(), dynamic_auth_template.end()),
            kMaxShortNe};
}

CommandApdu CommandApdu::get_response(std::size_t ne) {
    return {0x00, 0xC0, 0x00, 0x00, {}, ne};
}

ResponseApdu ResponseApdu::parse(ByteView bytes) {
    if (bytes.size() < 2) throw Error(Reason::CARD_ERROR, "response APDU shorter than SW1 SW2");
    const auto end = bytes.end() - 2;
    return {Bytes(bytes.begin(), end), StatusWord(end[0], end[1])};
}

Bytes ResponseApdu::encode() const {
    Bytes out;
    out.reserve(data_.size() + 2);
    out.insert(out.end(), data_.begin(), data_.end());
    out.push_back(sw_.sw1());
    out.push_back(sw_.sw2());
    return out;
}

}  // namespace cardbridge::protocol
