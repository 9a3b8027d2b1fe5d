// §7.2 PIN functions. Counters live in the store file, so they survive reconnects and are
// shared by every process using the device; rights live on the application handle.

#include "abi_io.hpp"
#include "device_access.hpp"
#include "exports.hpp"
#include "module.hpp"
#include "pin_hash.hpp"
#include "pin_rules.hpp"

using namespace cardbridge::skf;
using namespace cardbridge::softskf;

namespace {

void set_rights(ApplicationObject& application, ULONG type, bool granted) {
    (type == USER_TYPE ? application.user_rights : application.admin_rights) = granted;
}

}  // namespace

ULONG SKF_GetPINInfo(HAPPLICATION hApplication, ULONG ulPINType, ULONG* pulMaxRetryCount,
                     ULONG* pulRemainRetryCount, BoolSlot* pbDefaultPin) {
    return locked([&](Module& state) -> ULONG {
        if (pulMaxRetryCount == nullptr || pulRemainRetryCount == nullptr ||
            pbDefaultPin == nullptr)
            return SAR_INVALIDPARAMERR;
        auto [handle, application] = load_application(state.handles, hApplication);
        const PinRecord& pin = pin_of(application, ulPINType);
        *pulMaxRetryCount = pin.max_retries;
        *pulRemainRetryCount = pin.retries_left;
        write_bool(pbDefaultPin, pin.is_default);
        return SAR_OK;
    });
}

ULONG SKF_VerifyPIN(HAPPLICATION hApplication, ULONG ulPINType, LPSTR szPIN, ULONG* pulRetryCount) {
    return locked([&](Module& state) -> ULONG {
        if (szPIN == nullptr || pulRetryCount == nullptr) return SAR_INVALIDPARAMERR;
        ApplicationObject& application = state.handles.application(hApplication);
        const auto pin = pin_argument(szPIN);
        PinAttempt result{SAR_FAIL, 0, false};
        update_application(state.handles, application, [&](ApplicationRecord& record) {
            PinRecord& reference = pin_of(record, ulPINType);
            if (!pin && reference.retries_left != 0)
                result = {SAR_PIN_LEN_RANGE, reference.retries_left, false};
            else
                result = attempt_pin(reference, pin.value_or(""));
            return result.changed;
        });
        *pulRetryCount = result.retries_left;
        if (result.code != SAR_PIN_LEN_RANGE)
            set_rights(application, ulPINType, result.code == SAR_OK);
        return result.code;
    });
}

ULONG SKF_ChangePIN(HAPPLICATION hApplication, ULONG ulPINType, LPSTR szOldPin, LPSTR szNewPin,
                    ULONG* pulRetryCount) {
    return locked([&](Module& state) -> ULONG {
        if (szOldPin == nullptr || szNewPin == nullptr || pulRetryCount == nullptr)
            return SAR_INVALIDPARAMERR;
        ApplicationObject& application = state.handles.application(hApplication);
        const auto old_pin = pin_argument(szOldPin);
        const auto new_pin = pin_argument(szNewPin);
        PinAttempt result{SAR_FAIL, 0, false};
        update_application(state.handles, application, [&](ApplicationRecord& record) {
            PinRecord& reference = pin_of(record, ulPINType);
            if ((!old_pin || !new_pin) && reference.retries_left != 0) {
                result = {SAR_PIN_LEN_RANGE, reference.retries_left, false};
                return false;
            }
            result = attempt_pin(reference, old_pin.value_or(""));
            if (result.code == SAR_OK) {
                replace_pin(reference, *new_pin);
                result.changed = true;
            }
            return result.changed;
        });
        *pulRetryCount = result.retries_left;
        if (result.code != SAR_PIN_LEN_RANGE)
            set_rights(application, ulPINType, result.code == SAR_OK);
        return result.code;
    });
}

ULONG SKF_UnblockPIN(HAPPLICATION hApplication, LPSTR szAdminPIN, LPSTR szNewUserPIN,
                     ULONG* pulRetryCount) {
    return locked([&](Module& state) -> ULONG {
        if (szAdminPIN == nullptr || szNewUserPIN == nullptr || pulRetryCount == nullptr)
            return SAR_INVALIDPARAMERR;
        ApplicationObject& application = state.handles.application(hApplication);
        const auto admin_pin = pin_argument(szAdminPIN);
        const auto new_user_pin = pin_argument(szNewUserPIN);
        PinAttempt result{SAR_FAIL, 0, false};
        update_application(state.handles, application, [&](ApplicationRecord& record) {
            if ((!admin_pin || !new_user_pin) && record.admin_pin.retries_left != 0) {
                result = {SAR_PIN_LEN_RANGE, record.admin_pin.retries_left, false};
                return false;
            }
            result = attempt_pin(record.admin_pin, admin_pin.value_or(""));
            if (result.code == SAR_OK) {
                replace_pin(record.user_pin, *new_user_pin);  // restores the user retries
                result.changed = true;
            }
            return result.changed;
        });
        *pulRetryCount = result.retries_left;
        if (result.code != SAR_PIN_LEN_RANGE) application.admin_rights = result.code == SAR_OK;
        return result.code;
    });
}
