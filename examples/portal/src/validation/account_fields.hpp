#pragma once
// The rules for what a user types into the account forms (the manual's 1.1 and 4.1).

#include <cstddef>
#include <optional>
#include <string_view>

namespace cardbridge::portal {

/// 6–18 ASCII letters and digits with at least one letter; an operator's only lower-case.
bool valid_username(std::string_view name, bool operator_account) noexcept;

/// 8–16 printable ASCII characters (no space) from at least two of: letters, digits, symbols.
bool valid_password(std::string_view password) noexcept;

/// 11 digits starting with 1 (a mainland mobile number).
bool valid_phone(std::string_view phone) noexcept;

/// At most 100 characters, exactly one '@' with something on both sides, no spaces.
bool valid_email(std::string_view email) noexcept;

/// The number of characters (code points) of valid UTF-8 text without control characters.
std::optional<std::size_t> text_length(std::string_view text) noexcept;

/// Names (people, enterprises): 1–`max` characters, no control characters, not only spaces.
bool valid_name(std::string_view name, std::size_t max = 50) noexcept;

}  // namespace cardbridge::portal
