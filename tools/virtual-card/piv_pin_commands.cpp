// VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER (SP 800-73-4 part 2 §3.2.1-3.2.3).
#include <optional>

#include "piv_applet.hpp"

namespace cardbridge::vcard {
namespace {

using protocol::CommandApdu;
using protocol::ResponseApdu;
namespace sw = protocol::sw;

constexpr std::uint8_t kNoP1 = 0x00;
constexpr std::uint8_t kVerifyResetP1 = 0xFF;  // VERIFY P1 FF: forget the verification

std::optional<piv::KeyRef> key_ref(std::uint8_t p2) {
    if (p2 == static_cast<std::uint8_t>(piv::KeyRef::PIN)) return piv::KeyRef::PIN;
    if (p2 == static_cast<std::uint8_t>(piv::KeyRef::PUK)) return piv::KeyRef::PUK;
    return std::nullopt;
}

}  // namespace

ResponseApdu PivApplet::verify(const CommandApdu& command) {
    const auto ref = key_ref(command.p2());
    if (!ref) return ResponseApdu(sw::kReferenceNotFound);
    if (command.p1() == kVerifyResetP1) {
        if (!command.data().empty()) return ResponseApdu(sw::kWrongLength);
        pins_.forget(*ref);
        return ResponseApdu(sw::kOk);
    }
    if (command.p1() != kNoP1) return ResponseApdu(sw::kIncorrectP1P2);
    return ResponseApdu(pins_.verify(*ref, command.data()));
}

ResponseApdu PivApplet::change_reference_data(const CommandApdu& command) {
    const auto ref = key_ref(command.p2());
    if (!ref) return ResponseApdu(sw::kReferenceNotFound);
    if (command.p1() != kNoP1) return ResponseApdu(sw::kIncorrectP1P2);
    return ResponseApdu(pins_.change(*ref, command.data()));
}

ResponseApdu PivApplet::reset_retry_counter(const CommandApdu& command) {
    // Only the PIN can be reset, and only with the PUK.
    if (command.p2() != static_cast<std::uint8_t>(piv::KeyRef::PIN))
        return ResponseApdu(sw::kReferenceNotFound);
    if (command.p1() != kNoP1) return ResponseApdu(sw::kIncorrectP1P2);
    return ResponseApdu(pins_.unblock_pin(command.data()));
}

}  // namespace cardbridge::vcard
