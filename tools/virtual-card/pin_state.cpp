#include "pin_state.hpp"

#include <algorithm>
#include <utility>

namespace cardbridge::vcard {
namespace {

using protocol::Bytes;
using protocol::ByteView;
using protocol::StatusWord;
namespace sw = protocol::sw;

constexpr std::size_t kMinPinDigits = 6;
constexpr std::uint8_t kPad = 0xFF;

bool is_digit(std::uint8_t c) {
    return c >= '0' && c <= '9';
}

bool is_padded_pin(ByteView data) {
    if (data.size() != PinState::kReferenceSize) return false;
    const auto digits_end = std::find_if_not(data.begin(), data.end(), is_digit);
    return digits_end - data.begin() >= static_cast<std::ptrdiff_t>(kMinPinDigits) &&
           std::all_of(digits_end, data.end(), [](std::uint8_t c) { return c == kPad; });
}

// Every byte is compared, so the time taken says nothing about where a guess went wrong.
bool same(ByteView a, ByteView b) {
    if (a.size() != b.size()) return false;
    std::uint8_t difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i) difference |= a[i] ^ b[i];
    return difference == 0;
}

}  // namespace

std::optional<Bytes> padded_pin(std::string_view text) {
    if (text.size() < kMinPinDigits || text.size() > PinState::kReferenceSize) return std::nullopt;
    if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    Bytes pin(text.begin(), text.end());
    pin.resize(PinState::kReferenceSize, kPad);
    return pin;
}

PinState::PinState(Bytes pin, int pin_retries, Bytes puk, int puk_retries)
    : pin_{std::move(pin), pin_retries, pin_retries},
      puk_{std::move(puk), puk_retries, puk_retries} {}

StatusWord PinState::attempt(Secret& s, ByteView candidate) {
    if (s.retries_left == 0) return sw::kAuthenticationBlocked;
    if (same(candidate, s.value)) {
        s.retries_left = s.max_retries;
        s.verified = true;
        return sw::kOk;
    }
    s.verified = false;
    --s.retries_left;
    return StatusWord::retries(s.retries_left);
}

StatusWord PinState::verify(piv::KeyRef ref, ByteView data) {
    Secret& s = secret(ref);
    if (data.empty()) {
        if (s.retries_left == 0) return sw::kAuthenticationBlocked;
        return s.verified ? sw::kOk : StatusWord::retries(s.retries_left);
    }
    const bool well_formed =
        ref == piv::KeyRef::PIN ? is_padded_pin(data) : data.size() == kReferenceSize;
    if (!well_formed) return sw::kWrongData;
    const StatusWord result = attempt(s, data);
    if (ref == piv::KeyRef::PIN) fresh_pin_ = result.ok();
    return result;
}

void PinState::forget(piv::KeyRef ref) noexcept {
    secret(ref).verified = false;
    if (ref == piv::KeyRef::PIN) fresh_pin_ = false;
}

StatusWord PinState::change(piv::KeyRef ref, ByteView data) {
    if (data.size() != 2 * kReferenceSize) return sw::kWrongData;
    const ByteView current = data.first(kReferenceSize);
    const ByteView next = data.subspan(kReferenceSize);
    if (ref == piv::KeyRef::PIN && (!is_padded_pin(current) || !is_padded_pin(next)))
        return sw::kWrongData;
    Secret& s = secret(ref);
    const StatusWord result = attempt(s, current);
    if (result.ok()) s.value.assign(next.begin(), next.end());
    return result;
}

StatusWord PinState::unblock_pin(ByteView data) {
    if (data.size() != 2 * kReferenceSize) return sw::kWrongData;
    const ByteView new_pin = data.subspan(kReferenceSize);
    if (!is_padded_pin(new_pin)) return sw::kWrongData;
    const StatusWord result = attempt(puk_, data.first(kReferenceSize));
    if (!result.ok()) return result;
    pin_.value.assign(new_pin.begin(), new_pin.end());
    pin_.retries_left = pin_.max_retries;
    pin_.verified = false;
    fresh_pin_ = false;
    return result;
}

bool PinState::consume_fresh_pin() noexcept {
    return std::exchange(fresh_pin_, false) && pin_.verified;
}

void PinState::end_session() noexcept {
    pin_.verified = false;
    puk_.verified = false;
    fresh_pin_ = false;
}

}  // namespace cardbridge::vcard
