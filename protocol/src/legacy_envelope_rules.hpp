#pragma once
// The rules for `_method` and `_id` that both readers of a request apply: call_from_json
// (legacy_envelope_parse.cpp) on the parsed message and peek_call_head
// (legacy_envelope_peek.cpp) on the raw text, so that the two never disagree on a value.

#include <cstdint>
#include <optional>
#include <string_view>

namespace cardbridge::protocol::legacy::rules {

/// 1..kMaxMethodLength bytes of printable ASCII (no space).
bool is_method_name(std::string_view method) noexcept;

/// The value of `text` when it is a decimal integer that fits int64 and nothing else.
std::optional<std::int64_t> int64_from_text(std::string_view text) noexcept;

}  // namespace cardbridge::protocol::legacy::rules
