#pragma once
// China's national identification codes and their check characters.

#include <string_view>

namespace cardbridge::portal {

/// GB 32100-2015 unified social credit code: 18 characters from 0-9 and A-Z without I, O, S,
/// V, Z, the last a mod-31 check character.
bool valid_uscc(std::string_view code) noexcept;

/// GB 11714-1997 organization code: 8 characters (0-9, A-Z) and a mod-11 check (0-9 or X).
bool valid_org_code(std::string_view code) noexcept;

/// GB 11643-1999 citizen ID number: 17 digits (with a plausible birth date) and a mod-11
/// check character (0-9 or X).
bool valid_id_number(std::string_view number) noexcept;

/// Customs registration code (海关编码): 10 characters, digits and capital letters.
bool valid_customs_code(std::string_view code) noexcept;

}  // namespace cardbridge::portal
