#pragma once
// Commands every virtual card answers, for tests that only need the card to talk.

#include <array>
#include <cstdint>

namespace cardbridge::testing {

/// SELECT of the PIV application (AID A0 00 00 03 08 00 00 10 00), Le 00.
inline constexpr std::array<std::uint8_t, 15> kSelectPiv = {
    0x00, 0xA4, 0x04, 0x00, 0x09, 0xA0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x00};

}  // namespace cardbridge::testing
