#pragma once
// The one place where PKCS#11 return values become cardbridge::Error. Every call into a module
// goes through `check`, so a user sees the same reason for the same condition whichever call
// hit it, and the message names the call and p11-kit's text for the value.

#include <p11-kit/pkcs11.h>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {

/// The reason a user is told for `rv` (which must not be CKR_OK).
Reason reason_for(CK_RV rv) noexcept;

/// True when `rv` means the session is gone with the token (removed, failing, or the module
/// finalized): the caller drops its session so the next use starts afresh.
bool session_lost(CK_RV rv) noexcept;

/// Error(reason_for(rv), "<call>: <p11-kit's text> (0x<code>)"), with `retries_left` for the
/// PIN reasons.
Error make_error(const char* call, CK_RV rv, std::optional<int> retries_left = {});

/// Throws make_error(call, rv) unless `rv` is CKR_OK.
inline void check(const char* call, CK_RV rv) {
    if (rv != CKR_OK) throw make_error(call, rv);
}

}  // namespace cardbridge::daemon::tokens::pkcs11
