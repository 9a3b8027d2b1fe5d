#pragma once
// The parts of DEVINFO (GM/T 0016 §6.4.1) a token shows a user. Modules disagree on the
// struct's packing (notes §1.3, §6.3), so the module writes into a zeroed buffer larger than
// either layout and the text fields, which sit before the first offset packing moves, are read
// by their offsets.

#include <cstdint>
#include <span>
#include <string>

namespace cardbridge::daemon::tokens {

struct SkfDeviceInfo {
    std::string manufacturer;
    std::string label;
    std::string serial;
};

/// What SKF_GetDevInfo may write to: more than DEVINFO's 294 (packed) or 296 bytes.
inline constexpr std::size_t kDevInfoBufferBytes = 512;

/// Reads the fields from `buffer` (at least 294 bytes; shorter gives empty fields).
SkfDeviceInfo parse_device_info(std::span<const std::uint8_t> buffer);

/// A fixed-size char field as text a user can read: up to the first NUL, trimmed of blanks,
/// read as UTF-8, else as GBK (what Chinese vendors write), else with '?' for each byte that is
/// neither ASCII nor valid; control characters become '?' too.
std::string device_text(std::span<const std::uint8_t> field);

}  // namespace cardbridge::daemon::tokens
