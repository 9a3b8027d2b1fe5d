#include "cardbridge/protocol/utf16.hpp"

#include "cardbridge/protocol/error.hpp"

#include <string>

namespace cardbridge::protocol {
namespace {

[[noreturn]] void invalid(std::size_t offset, std::string_view what) {
    throw Error(Reason::PARSE_ERROR,
                "invalid UTF-8 at byte " + std::to_string(offset) + ": " + std::string(what));
}

struct Lead {
    std::size_t length;
    char32_t bits;
    // Smallest code point this length may encode: anything below is an overlong form.
    char32_t minimum;
};

Lead classify(unsigned char byte, std::size_t offset) {
    if (byte < 0x80) return {1, byte, 0};
    if ((byte & 0xE0) == 0xC0) return {2, byte & 0x1Fu, 0x80};
    if ((byte & 0xF0) == 0xE0) return {3, byte & 0x0Fu, 0x800};
    if ((byte & 0xF8) == 0xF0) return {4, byte & 0x07u, 0x10000};
    invalid(offset, (byte & 0xC0) == 0x80 ? "unexpected continuation byte" : "invalid lead byte");
}

}  // namespace

char32_t Utf8Reader::next() {
    const std::size_t start = offset_;
    const Lead lead = classify(static_cast<unsigned char>(text_[start]), start);
    if (text_.size() - start < lead.length) invalid(start, "truncated sequence");
    char32_t code_point = lead.bits;
    for (std::size_t i = 1; i < lead.length; ++i) {
        const auto byte = static_cast<unsigned char>(text_[start + i]);
        if ((byte & 0xC0) != 0x80) invalid(start + i, "expected a continuation byte");
        code_point = (code_point << 6) | (byte & 0x3Fu);
    }
    if (code_point < lead.minimum) invalid(start, "overlong encoding");
    if (code_point >= 0xD800 && code_point <= 0xDFFF) invalid(start, "encoded surrogate");
    if (code_point > 0x10FFFF) invalid(start, "code point above U+10FFFF");
    offset_ = start + lead.length;
    return code_point;
}

}  // namespace cardbridge::protocol
