#include "tokens/pkcs11/pkcs11_error.hpp"

#include <p11-kit/p11-kit.h>

#include <cstdio>
#include <string>

namespace cardbridge::daemon::tokens::pkcs11 {

Reason reason_for(CK_RV rv) noexcept {
    switch (rv) {
        case CKR_DEVICE_REMOVED:
        case CKR_TOKEN_NOT_PRESENT:
        // A slot goes with its reader (OpenSC) or its USB key.
        case CKR_SLOT_ID_INVALID:
        // Modules close every session of a token that goes; a handle we held is then unknown.
        case CKR_SESSION_CLOSED:
        case CKR_SESSION_HANDLE_INVALID:
        case CKR_OBJECT_HANDLE_INVALID:
        case CKR_KEY_HANDLE_INVALID:
        // The module was finalized under the token (the daemon is stopping): it is gone for us.
        case CKR_CRYPTOKI_NOT_INITIALIZED:
            return Reason::CARD_REMOVED;
        case CKR_DEVICE_ERROR:
        case CKR_DEVICE_MEMORY:
        case CKR_GENERAL_ERROR:
        case CKR_FUNCTION_FAILED:
        case CKR_ENCRYPTED_DATA_INVALID:
            return Reason::CARD_ERROR;
        case CKR_TOKEN_NOT_RECOGNIZED:
            return Reason::UNSUPPORTED_TOKEN;
        case CKR_PIN_INCORRECT:
            return Reason::PIN_INCORRECT;
        case CKR_PIN_LOCKED:
            return Reason::PIN_BLOCKED;
        case CKR_PIN_LEN_RANGE:
        case CKR_PIN_INVALID:
        case CKR_PIN_TOO_WEAK:
            return Reason::PIN_FORMAT;
        // A PIN pad's Cancel key.
        case CKR_FUNCTION_CANCELED:
            return Reason::PIN_CANCELLED;
        case CKR_USER_NOT_LOGGED_IN:
        case CKR_USER_PIN_NOT_INITIALIZED:
        case CKR_PIN_EXPIRED:
        case CKR_TOKEN_WRITE_PROTECTED:
        case CKR_KEY_FUNCTION_NOT_PERMITTED:
        case CKR_FUNCTION_REJECTED:
            return Reason::NOT_PERMITTED;
        case CKR_MECHANISM_INVALID:
        case CKR_MECHANISM_PARAM_INVALID:
        case CKR_KEY_TYPE_INCONSISTENT:
        case CKR_KEY_SIZE_RANGE:
            return Reason::UNSUPPORTED_ALGORITHM;
        case CKR_FUNCTION_NOT_SUPPORTED:
            return Reason::NOT_SUPPORTED;
        case CKR_SESSION_COUNT:
        case CKR_OPERATION_ACTIVE:
            return Reason::BUSY;
        case CKR_ARGUMENTS_BAD:
        case CKR_ATTRIBUTE_TYPE_INVALID:
        case CKR_ATTRIBUTE_VALUE_INVALID:
        case CKR_BUFFER_TOO_SMALL:
        case CKR_DATA_LEN_RANGE:
        case CKR_HOST_MEMORY:
        case CKR_OPERATION_NOT_INITIALIZED:
        case CKR_SESSION_PARALLEL_NOT_SUPPORTED:
        case CKR_USER_TYPE_INVALID:
        case CKR_USER_ALREADY_LOGGED_IN:
        case CKR_USER_ANOTHER_ALREADY_LOGGED_IN:
        case CKR_TEMPLATE_INCOMPLETE:
        case CKR_TEMPLATE_INCONSISTENT:
            // What we passed, or when: our bug, not the user's token.
            return Reason::INTERNAL;
        default:
            // Vendor codes and the rest: the module failed at something we asked correctly.
            return Reason::CARD_ERROR;
    }
}

bool session_lost(CK_RV rv) noexcept {
    switch (rv) {
        case CKR_DEVICE_REMOVED:
        case CKR_TOKEN_NOT_PRESENT:
        case CKR_SLOT_ID_INVALID:
        case CKR_SESSION_CLOSED:
        case CKR_SESSION_HANDLE_INVALID:
        case CKR_DEVICE_ERROR:
        case CKR_CRYPTOKI_NOT_INITIALIZED:
            return true;
        default:
            return false;
    }
}

Error make_error(const char* call, CK_RV rv, std::optional<int> retries_left) {
    char code[24];
    std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(rv));
    // p11_kit_strerror returns a static string and never null.
    return Error(reason_for(rv),
                 std::string(call) + ": " + p11_kit_strerror(rv) + " (" + code + ")", retries_left);
}

}  // namespace cardbridge::daemon::tokens::pkcs11
