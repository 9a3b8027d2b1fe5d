#include "pcsc/pcsc_error.hpp"

#include <pcsclite.h>

#include <cstdio>
#include <string>

namespace cardbridge::daemon::pcsc {

Reason reason_for(LONG result) noexcept {
    switch (result) {
        // pcscd is not running, or went away under us: the caller re-establishes its context.
        case SCARD_E_NO_SERVICE:
        case SCARD_E_SERVICE_STOPPED:
        case SCARD_E_NO_MEMORY:
        case SCARD_F_COMM_ERROR:
        case SCARD_F_INTERNAL_ERROR:
        // SCardCancel ends a wait only when the daemon shuts its context down.
        case SCARD_E_CANCELLED:
            return Reason::PCSC_UNAVAILABLE;
        case SCARD_E_NO_READERS_AVAILABLE:
        case SCARD_E_UNKNOWN_READER:
        case SCARD_E_READER_UNAVAILABLE:
            return Reason::NO_READER;
        case SCARD_E_NO_SMARTCARD:
            return Reason::NO_CARD;
        case SCARD_W_REMOVED_CARD:
        // A reset by another application loses the selected application and the verified PIN
        // just as a removal does: the caller must reconnect and start over.
        case SCARD_W_RESET_CARD:
        // pcscd invalidates handles when their reader goes away (or pcscd restarts).
        case SCARD_E_INVALID_HANDLE:
            return Reason::CARD_REMOVED;
        case SCARD_E_SHARING_VIOLATION:
            return Reason::BUSY;
        case SCARD_E_TIMEOUT:
            return Reason::TIMEOUT;
        case SCARD_W_UNRESPONSIVE_CARD:
        case SCARD_W_UNPOWERED_CARD:
        case SCARD_W_UNSUPPORTED_CARD:
        case SCARD_E_CARD_UNSUPPORTED:
        case SCARD_E_PROTO_MISMATCH:
        case SCARD_E_NOT_TRANSACTED:
        case SCARD_E_UNEXPECTED:
            return Reason::CARD_ERROR;
        default:
            // Bad parameters, buffers or handles we passed: our bug, not the user's card.
            return Reason::INTERNAL;
    }
}

Error make_error(const char* call, LONG result) {
    char code[16];
    std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(result));
    return Error(reason_for(result),
                 std::string(call) + ": " + pcsc_stringify_error(result) + " (" + code + ")");
}

}  // namespace cardbridge::daemon::pcsc
