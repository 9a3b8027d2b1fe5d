#pragma once
// Legacy E-Port peers measure and checksum text as JavaScript does, in UTF-16 code units, while
// our frames arrive as UTF-8. This reads UTF-8 strictly, one code point at a time, so callers
// can see the code units a JavaScript string of the same text would hold.

#include <cstddef>
#include <string_view>

namespace cardbridge::protocol {

/// Strict UTF-8 reader: overlong forms, encoded surrogates, values above U+10FFFF, stray
/// continuation bytes and truncated sequences are all Error(PARSE_ERROR) naming the byte offset.
class Utf8Reader {
public:
    /// Starts reading at byte `offset` of `text`, so errors name offsets within all of it.
    explicit Utf8Reader(std::string_view text, std::size_t offset = 0) noexcept
        : text_(text), offset_(offset) {}

    bool at_end() const noexcept { return offset_ == text_.size(); }
    /// Bytes consumed so far: the start of the next code point.
    std::size_t offset() const noexcept { return offset_; }
    /// Decodes the next code point. Precondition: !at_end().
    char32_t next();

private:
    std::string_view text_;
    std::size_t offset_;
};

/// Code points above the BMP take two UTF-16 code units (a surrogate pair).
constexpr bool is_supplementary(char32_t code_point) noexcept {
    return code_point >= 0x10000;
}

constexpr char16_t high_surrogate(char32_t code_point) noexcept {
    return static_cast<char16_t>(0xD800 + ((code_point - 0x10000) >> 10));
}

constexpr char16_t low_surrogate(char32_t code_point) noexcept {
    return static_cast<char16_t>(0xDC00 + ((code_point - 0x10000) & 0x3FF));
}

}  // namespace cardbridge::protocol
