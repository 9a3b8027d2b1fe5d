#include "validation/codes.hpp"

#include <array>

namespace cardbridge::portal {

namespace {

constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
bool is_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}

int digit_value(char c) noexcept {
    return c - '0';
}

}  // namespace

bool valid_uscc(std::string_view code) noexcept {
    constexpr std::array<int, 17> weights{1,  3,  9,  27, 19, 26, 16, 17, 20,
                                          29, 25, 13, 8,  24, 10, 30, 28};
    if (code.size() != 18) return false;
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        const auto value = kUsccAlphabet.find(code[i]);
        if (value == std::string_view::npos) return false;
        sum += static_cast<int>(value) * weights[i];
    }
    const int check = (31 - sum % 31) % 31;
    return code[17] == kUsccAlphabet[static_cast<std::size_t>(check)];
}

bool valid_org_code(std::string_view code) noexcept {
    constexpr std::array<int, 8> weights{3, 7, 9, 10, 5, 8, 4, 2};
    if (code.size() != 9) return false;
    int sum = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        const char c = code[i];
        if (!is_digit(c) && !is_upper(c)) return false;
        sum += (is_digit(c) ? digit_value(c) : c - 'A' + 10) * weights[i];
    }
    const int check = 11 - sum % 11;
    const char expected = check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
    return code[8] == expected;
}

bool valid_id_number(std::string_view number) noexcept {
    constexpr std::array<int, 17> weights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    constexpr std::string_view kChecks = "10X98765432";
    if (number.size() != 18) return false;
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        if (!is_digit(number[i])) return false;
        sum += digit_value(number[i]) * weights[i];
    }
    const auto two = [&](std::size_t at) {
        return digit_value(number[at]) * 10 + digit_value(number[at + 1]);
    };
    const int month = two(10), day = two(12);
    if (month < 1 || month > 12 || day < 1 || day > 31) return false;
    return number[17] == kChecks[static_cast<std::size_t>(sum % 11)];
}

bool valid_customs_code(std::string_view code) noexcept {
    if (code.size() != 10) return false;
    for (char c : code)
        if (!is_digit(c) && !is_upper(c)) return false;
    return true;
}

}  // namespace cardbridge::portal
