// GENERAL AUTHENTICATE for signing (SP 800-73-4 part 2 §3.2.4): the client sends
// 7C { 82 00, 81 <challenge> } and gets 7C { 82 <signature> }. The challenge is what the key
// transforms: a padded block for RSA, a hash cut to the field size for ECDSA and SM2.
#include <optional>

#include "cardbridge/protocol/error.hpp"
#include "piv_applet.hpp"

namespace cardbridge::vcard {
namespace {

using protocol::ByteView;
using protocol::CommandApdu;
using protocol::ResponseApdu;
using protocol::Tlv;
using protocol::TlvReader;
using protocol::TlvWriter;
namespace sw = protocol::sw;

std::optional<piv::Slot> slot_named(std::uint8_t p2) {
    for (const piv::Slot slot : {piv::Slot::PIV_AUTHENTICATION, piv::Slot::SIGNATURE,
                                 piv::Slot::KEY_MANAGEMENT, piv::Slot::CARD_AUTHENTICATION})
        if (p2 == static_cast<std::uint8_t>(slot)) return slot;
    return std::nullopt;
}

// The challenge of a signing request, or nothing when the template asks for anything else
// (a witness, an exponentiation, a second response) or is malformed.
std::optional<ByteView> signing_challenge(ByteView data) {
    try {
        std::optional<ByteView> challenge;
        bool response_requested = false;
        for (TlvReader reader(protocol::expect_tlv(data, piv::tag::kDynamicAuthentication));
             !reader.at_end();) {
            const Tlv tlv = reader.next();
            if (tlv.tag == piv::tag::kResponse && tlv.value.empty() && !response_requested)
                response_requested = true;
            else if (tlv.tag == piv::tag::kChallenge && !tlv.value.empty() && !challenge)
                challenge = tlv.value;
            else
                return std::nullopt;
        }
        if (!response_requested) return std::nullopt;
        return challenge;
    } catch (const Error&) {
        return std::nullopt;
    }
}

}  // namespace

// 9C (digital signature) wants the PIN right before every use, 9A and 9D once per session,
// 9E (card authentication) never: the access rules SP 800-73-4 part 1 gives those keys.
bool PivApplet::pin_policy_satisfied(piv::Slot slot) {
    switch (slot) {
        case piv::Slot::SIGNATURE:
            return pins_.consume_fresh_pin();
        case piv::Slot::PIV_AUTHENTICATION:
        case piv::Slot::KEY_MANAGEMENT:
            return pins_.pin_verified();
        case piv::Slot::CARD_AUTHENTICATION:
            return true;
    }
    return false;
}

ResponseApdu PivApplet::general_authenticate(const CommandApdu& command) {
    const auto slot = slot_named(command.p2());
    if (!slot) return ResponseApdu(sw::kIncorrectP1P2);
    const auto key = profile_.slots.find(*slot);
    // A slot without a key and a key of another algorithm are both a wrong P1/P2 pair.
    if (key == profile_.slots.end() ||
        static_cast<std::uint8_t>(key->second.algorithm()) != command.p1())
        return ResponseApdu(sw::kIncorrectP1P2);
    const auto challenge = signing_challenge(command.data());
    if (!challenge || challenge->size() != key->second.challenge_size())
        return ResponseApdu(sw::kWrongData);
    if (!pin_policy_satisfied(*slot)) return ResponseApdu(sw::kSecurityStatusNotSatisfied);
    protocol::Bytes signature;
    try {
        signature = key->second.sign(*challenge);
    } catch (const Error& e) {
        if (e.reason() != Reason::INVALID_PARAMS) throw;
        return ResponseApdu(sw::kWrongData);  // an RSA block not below the modulus
    }
    TlvWriter response;
    response.add(piv::tag::kResponse, signature);
    return {std::move(TlvWriter().add(piv::tag::kDynamicAuthentication, response)).bytes(),
            sw::kOk};
}

}  // namespace cardbridge::vcard
