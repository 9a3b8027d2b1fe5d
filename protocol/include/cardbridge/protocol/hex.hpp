#pragma once
// Hex text for bytes that travel as text (ATRs, GUIDs): upper case, no separators, as PC/SC
// tools print ATRs.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cardbridge::protocol {

std::string to_hex(std::span<const std::uint8_t> bytes);
/// nullopt unless `text` is an even number of hex digits (either case).
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view text);

}  // namespace cardbridge::protocol
