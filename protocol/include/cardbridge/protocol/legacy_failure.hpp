#pragma once
// What a legacy E-Port client sees when a call fails: the code and Chinese text of the one
// table in docs/LEGACY.md ("Failure codes"). Portal pages test a few of the original's codes
// and show Error[0] for the rest, so both the code and the text are the user interface.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/legacy_envelope.hpp"

namespace cardbridge::protocol::legacy {

struct Failure {
    std::string message;
    std::uint32_t code;
};

/// What a legacy client sees for `error`: the code and Chinese text from the one table in
/// docs/LEGACY.md ("Failure codes"). message = "[cardbridge]" + text + ":错误码=" + code. For
/// PIN_INCORRECT with retries_left n the text is "口令错误，还可以尝试n次" (just "口令错误"
/// without a count). For INVALID_PARAMS, METHOD_NOT_FOUND, NOT_SUPPORTED and NOT_PERMITTED the
/// error's own message (which the legacy layer writes in Chinese) follows the reason's text
/// after the full-width colon "：" (e.g. "参数错误：缺少inData"); an empty message adds nothing.
Failure failure_for(const Error& error);

/// make_failure(id, method, message, code) with failure_for(error).
std::string make_failure(const std::optional<Id>& id, std::string_view method, const Error& error);

}  // namespace cardbridge::protocol::legacy
