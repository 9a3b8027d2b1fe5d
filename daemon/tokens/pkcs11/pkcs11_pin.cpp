// The user PIN of a PKCS#11 token: C_Login, C_Logout, C_SetPIN. PKCS#11 reports no retry
// count, only "final try" and "locked" (CK_TOKEN_INFO flags), read again after a wrong PIN.
#include "tokens/pkcs11/pkcs11_error.hpp"
#include "tokens/pkcs11/pkcs11_objects.hpp"
#include "tokens/pkcs11/pkcs11_token.hpp"

namespace cardbridge::daemon::tokens {
namespace {

// Before the token sees a PIN it cannot take (and counts it as a wrong one). A module that
// states no maximum (0, or less than its minimum) gets none.
void check_pin_length(const CK_TOKEN_INFO& info, const SecurePin& pin) {
    const CK_ULONG min = info.ulMinPinLen == CK_UNAVAILABLE_INFORMATION ? 0 : info.ulMinPinLen;
    CK_ULONG max = info.ulMaxPinLen;
    if (max == CK_UNAVAILABLE_INFORMATION || max == 0 || max < min) max = SecurePin::kMaxBytes;
    if (pin.size() < min || pin.size() > max)
        throw Error(Reason::PIN_FORMAT, "the token takes PINs of " + std::to_string(min) + " to " +
                                            std::to_string(max) + " characters");
}

CK_UTF8CHAR_PTR pin_pointer(std::span<const unsigned char> bytes) {
    // PKCS#11 v2.40 declares the PIN parameters non-const; modules only read them.
    return const_cast<CK_UTF8CHAR_PTR>(bytes.data());
}

}  // namespace

void Pkcs11Token::throw_pin_error(const char* call, CK_RV rv) {
    if (rv == CKR_PIN_LOCKED) throw Error(Reason::PIN_BLOCKED, "the PIN is blocked", 0);
    if (rv != CKR_PIN_INCORRECT) throw pkcs11::make_error(call, rv);
    CK_FLAGS flags = 0;
    try {
        flags = info().flags;
    } catch (const Error&) {
        // The count is a courtesy; the wrong PIN is what must be told.
    }
    if ((flags & CKF_USER_PIN_LOCKED) != 0)
        throw Error(Reason::PIN_BLOCKED, "wrong PIN; the PIN is now blocked", 0);
    if ((flags & CKF_USER_PIN_FINAL_TRY) != 0)
        throw Error(Reason::PIN_INCORRECT, "wrong PIN; 1 try left before it is blocked", 1);
    throw Error(Reason::PIN_INCORRECT, "wrong PIN");
}

void Pkcs11Token::logout() {
    const CK_RV rv = session().call(
        [](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) { return f.C_Logout(h); });
    if (rv != CKR_OK && rv != CKR_USER_NOT_LOGGED_IN) pkcs11::check("C_Logout", rv);
}

void Pkcs11Token::login(const SecurePin& pin) {
    check_pin_length(info(), pin);
    const pkcs11::Session& current = session();
    // A PIN given while logged in is still checked: a page that sends a PIN must learn when it
    // is wrong, not have it pass on an earlier login.
    if (pkcs11::logged_in(current)) logout();
    const CK_RV rv = pin.with_bytes([&](std::span<const unsigned char> bytes) {
        return current.call([&](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) {
            return f.C_Login(h, CKU_USER, pin_pointer(bytes), bytes.size());
        });
    });
    if (rv != CKR_OK) throw_pin_error("C_Login", rv);
}

void Pkcs11Token::verify_pin(const SecurePin& pin) {
    try {
        login(pin);
    } catch (const Error& e) {
        after_failure(e);
        throw;
    }
}

void Pkcs11Token::change_pin(const SecurePin& current, const SecurePin& next) {
    try {
        const CK_TOKEN_INFO token = info();
        check_pin_length(token, current);
        check_pin_length(token, next);
        session();  // refuses a token other than the one that was read
        // C_SetPIN works only in a read-write session; a token's other sessions may stay
        // read-only (PKCS#11 v2.40 §5.6).
        const pkcs11::Session writable(module_, slot_, true);
        const CK_RV rv = current.with_bytes([&](std::span<const unsigned char> old_pin) {
            return next.with_bytes([&](std::span<const unsigned char> new_pin) {
                return writable.call([&](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) {
                    return f.C_SetPIN(h, pin_pointer(old_pin), old_pin.size(), pin_pointer(new_pin),
                                      new_pin.size());
                });
            });
        });
        if (rv != CKR_OK) throw_pin_error("C_SetPIN", rv);
    } catch (const Error& e) {
        after_failure(e);
        throw;
    }
}

}  // namespace cardbridge::daemon::tokens
