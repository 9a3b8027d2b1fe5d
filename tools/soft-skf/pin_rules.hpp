#pragma once
// VerifyPIN's rules, shared by ChangePIN and UnblockPIN (skf-notes.md §4.2): a locked PIN
// refuses even the right value; a wrong one costs a retry and locks at zero; the right one
// restores the retries. A PIN of the wrong length is refused before it can cost anything.

#include <optional>
#include <string_view>

#include "device_record.hpp"
#include "skf_abi.hpp"

namespace cardbridge::softskf {

struct PinAttempt {
    skf::ULONG code;
    skf::ULONG retries_left;
    bool changed;  // the record must be written back
};

/// SAR_OK, SAR_PIN_INCORRECT (retries left) or SAR_PIN_LOCKED (0).
PinAttempt attempt_pin(PinRecord& record, std::string_view pin);

/// The PIN a host passed when it is 6..16 bytes; nothing otherwise (SAR_PIN_LEN_RANGE).
std::optional<std::string_view> pin_argument(const char* pin);

/// The user or admin PIN; SarError(SAR_INVALIDPARAMERR) for another type, as Longmai does.
PinRecord& pin_of(ApplicationRecord& application, skf::ULONG type);

}  // namespace cardbridge::softskf
