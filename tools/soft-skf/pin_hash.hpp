#pragma once
// PINs at rest: a random salt and SHA-256(salt ‖ PIN), compared in constant time. Enough to
// keep a test PIN out of plain sight in a store file; not a defence against brute force (a
// 6-16 character PIN is quick to guess offline): the store is TEST ONLY.

#include <cstdint>
#include <string_view>

#include "device_record.hpp"

namespace cardbridge::softskf {

inline constexpr std::size_t kMinPinBytes = 6;   // MIN_PIN_LEN
inline constexpr std::size_t kMaxPinBytes = 16;  // MAX_PIN_LEN

bool valid_pin_length(std::string_view pin) noexcept;

/// A fresh record for `pin` with full retries. Throws StoreError when no randomness is available.
PinRecord make_pin(std::string_view pin, std::uint32_t max_retries);

/// Replaces the PIN (new salt), restores the retries and clears is_default.
void replace_pin(PinRecord& record, std::string_view pin);

bool pin_matches(const PinRecord& record, std::string_view pin);

}  // namespace cardbridge::softskf
