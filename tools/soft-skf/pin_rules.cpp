#include "pin_rules.hpp"

#include "abi_io.hpp"
#include "pin_hash.hpp"
#include "sar_error.hpp"

namespace cardbridge::softskf {

PinAttempt attempt_pin(PinRecord& record, std::string_view pin) {
    if (record.retries_left == 0) return {skf::SAR_PIN_LOCKED, 0, false};
    if (pin_matches(record, pin)) {
        const bool changed = record.retries_left != record.max_retries;
        record.retries_left = record.max_retries;
        return {skf::SAR_OK, record.retries_left, changed};
    }
    --record.retries_left;
    const skf::ULONG code = record.retries_left == 0 ? skf::SAR_PIN_LOCKED : skf::SAR_PIN_INCORRECT;
    return {code, record.retries_left, true};
}

std::optional<std::string_view> pin_argument(const char* pin) {
    auto text = bounded_string(pin, kMaxPinBytes);
    if (!text || !valid_pin_length(*text)) return std::nullopt;
    return text;
}

PinRecord& pin_of(ApplicationRecord& application, skf::ULONG type) {
    if (type == skf::USER_TYPE) return application.user_pin;
    if (type == skf::ADMIN_TYPE) return application.admin_pin;
    throw SarError(skf::SAR_INVALIDPARAMERR);
}

}  // namespace cardbridge::softskf
