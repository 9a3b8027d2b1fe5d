#include "validation/account_fields.hpp"

#include <algorithm>

namespace cardbridge::portal {

namespace {

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
bool is_lower(char c) noexcept {
    return c >= 'a' && c <= 'z';
}
bool is_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}
bool is_letter(char c) noexcept {
    return is_lower(c) || is_upper(c);
}

}  // namespace

bool valid_username(std::string_view name, bool operator_account) noexcept {
    if (name.size() < 6 || name.size() > 18) return false;
    bool letter = false;
    for (char c : name) {
        if (operator_account && is_upper(c)) return false;
        if (!is_letter(c) && !is_digit(c)) return false;
        letter = letter || is_letter(c);
    }
    return letter;
}

bool valid_password(std::string_view password) noexcept {
    if (password.size() < 8 || password.size() > 16) return false;
    bool letter = false, digit = false, symbol = false;
    for (char c : password) {
        if (c <= 0x20 || c >= 0x7f) return false;
        if (is_letter(c))
            letter = true;
        else if (is_digit(c))
            digit = true;
        else
            symbol = true;
    }
    return int{letter} + int{digit} + int{symbol} >= 2;
}

bool valid_phone(std::string_view phone) noexcept {
    return phone.size() == 11 && phone.front() == '1' &&
           std::all_of(phone.begin(), phone.end(), is_digit);
}

bool valid_email(std::string_view email) noexcept {
    if (email.size() > 100) return false;
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == email.size()) return false;
    if (email.find('@', at + 1) != std::string_view::npos) return false;
    return std::none_of(email.begin(), email.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte == 0x7f;
    });
}

std::optional<std::size_t> text_length(std::string_view text) noexcept {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        char32_t code = 0;
        if (lead < 0x80)
            code = lead;
        else if ((lead & 0xe0) == 0xc0)
            extra = 1, code = lead & 0x1f;
        else if ((lead & 0xf0) == 0xe0)
            extra = 2, code = lead & 0x0f;
        else if ((lead & 0xf8) == 0xf0)
            extra = 3, code = lead & 0x07;
        else
            return std::nullopt;
        if (i + extra >= text.size() && extra > 0) return std::nullopt;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xc0) != 0x80) return std::nullopt;
            code = (code << 6) | (next & 0x3f);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (code < kMin[extra] || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff)
            return std::nullopt;
        if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return std::nullopt;
        i += extra + 1;
    }
    return count;
}

bool valid_name(std::string_view name, std::size_t max) noexcept {
    const auto length = text_length(name);
    if (!length || *length < 1 || *length > max) return false;
    return name.find_first_not_of(' ') != std::string_view::npos;
}

}  // namespace cardbridge::portal
