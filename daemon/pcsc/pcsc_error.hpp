#pragma once
// The one place where PC/SC return codes become cardbridge::Error. Every libpcsclite call in the
// daemon goes through `check`, so a user sees the same reason for the same condition whichever
// call hit it, and the message names the call and pcsc-lite's own text.

#include <winscard.h>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon::pcsc {

/// The reason a user is told for `result` (which must not be SCARD_S_SUCCESS).
Reason reason_for(LONG result) noexcept;

/// Error(reason_for(result), "<call>: <pcsc_stringify_error> (0x<code>)").
Error make_error(const char* call, LONG result);

/// Throws make_error(call, result) unless `result` is SCARD_S_SUCCESS.
inline void check(const char* call, LONG result) {
    if (result != SCARD_S_SUCCESS) throw make_error(call, result);
}

}  // namespace cardbridge::daemon::pcsc
