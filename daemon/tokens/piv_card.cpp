#include "tokens/piv_card.hpp"

#include <algorithm>
#include <cctype>

#include "cardbridge/protocol/hex.hpp"

namespace cardbridge::daemon::tokens::piv {
namespace {

KeyUsage usage_of(PivSlot slot) {
    switch (slot) {
        case PivSlot::AUTHENTICATION:
            return KeyUsage::LOGIN;
        case PivSlot::SIGNATURE:
            return KeyUsage::SIGN;
        case PivSlot::KEY_MANAGEMENT:
            return KeyUsage::ENVELOPE;
        case PivSlot::CARD_AUTHENTICATION:
            return KeyUsage::CARD_AUTH;
    }
    return KeyUsage::SIGN;
}

}  // namespace

TokenSnapshot read_snapshot(const pcsc::Transmit& transmit) {
    select(transmit);
    TokenSnapshot snapshot;
    snapshot.type = "piv";
    std::string guid = protocol::to_hex(chuid_guid(transmit));
    std::transform(guid.begin(), guid.end(), guid.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    snapshot.id = "piv:" + guid;
    snapshot.card_id = guid;
    for (const PivSlot slot : kPivSlots)
        if (const auto der = certificate(transmit, slot))
            // Slot 9C wants the PIN right before every signature (SP 800-73-4).
            snapshot.certificates.push_back(certificate_info(std::string(slot_name(slot)), usage_of(slot),
                                                             slot == PivSlot::SIGNATURE, *der));
    fill_identity(snapshot, "PIV card");
    return snapshot;
}

PivSlot slot_of(const CertificateInfo& certificate) {
    for (const PivSlot slot : kPivSlots)
        if (slot_name(slot) == certificate.key) return slot;
    throw Error(Reason::INTERNAL, "'" + certificate.key + "' is not a PIV slot");
}

}  // namespace cardbridge::daemon::tokens::piv
