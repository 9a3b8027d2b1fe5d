#include "tokens/skf/skf_error.hpp"

#include <cstdio>
#include <string>

namespace cardbridge::daemon::tokens {
namespace {

using namespace cardbridge::skf;

// A wrong-PIN counter above this is not a counter but an uninitialised output.
constexpr ULONG kMaxPlausibleRetries = 255;

std::string_view meaning(ULONG code) noexcept {
    switch (code) {
        case SAR_FAIL:
            return "the module failed";
        case SAR_UNKNOWNERR:
            return "unknown error";
        case SAR_NOTSUPPORTYETERR:
            return "not supported by this module";
        case SAR_INVALIDHANDLEERR:
            return "invalid handle";
        case SAR_INVALIDPARAMERR:
            return "invalid parameter";
        case SAR_NAMELENERR:
            return "name too long";
        case SAR_KEYUSAGEERR:
            return "the key may not be used so";
        case SAR_MODULUSLENERR:
            return "wrong modulus or input length";
        case SAR_NOTINITIALIZEERR:
            return "not initialised";
        case SAR_OBJERR:
            return "object error";
        case SAR_MEMORYERR:
            return "out of memory";
        case SAR_TIMEOUTERR:
            return "timed out";
        case SAR_INDATALENERR:
            return "wrong input length";
        case SAR_INDATAERR:
            return "wrong input data";
        case SAR_HASHERR:
            return "hash error";
        case SAR_KEYNOTFOUNTERR:
            return "no such key";
        case SAR_CERTNOTFOUNTERR:
            return "no such certificate";
        case SAR_BUFFER_TOO_SMALL:
            return "buffer too small";
        case SAR_NOT_EVENTERR:
            return "no event";
        case SAR_DEVICE_REMOVED:
            return "the key was removed";
        case SAR_PIN_INCORRECT:
            return "wrong PIN";
        case SAR_PIN_LOCKED:
            return "the PIN is blocked";
        case SAR_PIN_INVALID:
            return "the PIN is not valid";
        case SAR_PIN_LEN_RANGE:
            return "the PIN has a length the key does not take";
        case SAR_USER_ALREADY_LOGGED_IN:
            return "already logged in";
        case SAR_USER_TYPE_INVALID:
            return "invalid PIN type";
        case SAR_APPLICATION_NAME_INVALID:
            return "invalid application name";
        case SAR_USER_NOT_LOGGED_IN:
            return "the key wants the PIN first";
        case SAR_APPLICATION_NOT_EXISTS:
            return "no such application";
        default:
            return {};
    }
}

}  // namespace

Reason skf_reason(ULONG code) noexcept {
    switch (code) {
        case SAR_PIN_INCORRECT:
            return Reason::PIN_INCORRECT;
        case SAR_PIN_LOCKED:
            return Reason::PIN_BLOCKED;
        case SAR_PIN_LEN_RANGE:
        case SAR_PIN_INVALID:
            return Reason::PIN_FORMAT;
        case SAR_USER_NOT_LOGGED_IN:
            return Reason::NOT_PERMITTED;
        case SAR_DEVICE_REMOVED:
            return Reason::CARD_REMOVED;
        case SAR_NOTSUPPORTYETERR:
            return Reason::NOT_SUPPORTED;
        default:
            return Reason::CARD_ERROR;
    }
}

Error skf_error(std::string_view call, ULONG code, std::optional<ULONG> retries) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(code));
    std::string message(call);
    const std::string_view text = meaning(code);
    message += text.empty() ? std::string(" failed (") + hex + ")"
                            : std::string(": ") + std::string(text) + " (" + hex + ")";

    if (code == SAR_PIN_LOCKED) return Error(Reason::PIN_BLOCKED, message, 0);
    if (code == SAR_PIN_INCORRECT) {
        if (retries && *retries <= kMaxPlausibleRetries) {
            if (*retries == 0) return Error(Reason::PIN_BLOCKED, message + ", no tries left", 0);
            const int left = static_cast<int>(*retries);
            return Error(
                Reason::PIN_INCORRECT,
                message + ", " + std::to_string(left) + (left == 1 ? " try" : " tries") + " left",
                left);
        }
        return Error(Reason::PIN_INCORRECT, message);
    }
    return Error(skf_reason(code), message);
}

}  // namespace cardbridge::daemon::tokens
