#include "tokens/piv_token.hpp"

#include <algorithm>

namespace cardbridge::daemon::tokens {
namespace {

std::string hex(protocol::ByteView bytes) {
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const std::uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0f];
    }
    return out;
}

// The signing certificate is what E-Port identifies a card by, so its attributes win.
constexpr PivSlot kAttributePreference[] = {PivSlot::SIGNATURE, PivSlot::AUTHENTICATION,
                                            PivSlot::KEY_MANAGEMENT, PivSlot::CARD_AUTHENTICATION};

EnterpriseAttributes card_attributes(const PivSnapshot& snapshot) {
    const CertificateInfo* fallback = nullptr;
    for (const PivSlot slot : kAttributePreference) {
        const CertificateInfo* certificate = find_certificate(snapshot, slot);
        if (!certificate) continue;
        if (certificate->attributes.from_extensions) return certificate->attributes;
        if (!fallback) fallback = certificate;
    }
    return fallback ? fallback->attributes : EnterpriseAttributes{};
}

std::string label_of(const EnterpriseAttributes& attributes) {
    const std::string enterprise = attributes.enterprise_name.value_or("");
    const std::string holder = attributes.holder_name.value_or("");
    if (enterprise.empty() && holder.empty()) return "PIV card";
    if (enterprise.empty() || holder.empty()) return enterprise + holder;
    return enterprise + " " + holder;
}

}  // namespace

PivSnapshot read_snapshot(const pcsc::Transmit& transmit) {
    piv::select(transmit);
    PivSnapshot snapshot;
    snapshot.guid = hex(piv::chuid_guid(transmit));
    snapshot.id = "piv:" + snapshot.guid;
    for (const PivSlot slot : kPivSlots)
        if (const auto der = piv::certificate(transmit, slot))
            snapshot.certificates.push_back(certificate_info(slot, *der));
    snapshot.attributes = card_attributes(snapshot);
    snapshot.card_id = snapshot.attributes.card_id.value_or(snapshot.guid);
    snapshot.label = label_of(snapshot.attributes);
    return snapshot;
}

const CertificateInfo* find_certificate(const PivSnapshot& snapshot, PivSlot slot) {
    const auto found = std::find_if(
        snapshot.certificates.begin(), snapshot.certificates.end(),
        [slot](const CertificateInfo& certificate) { return certificate.slot == slot; });
    return found == snapshot.certificates.end() ? nullptr : &*found;
}

const CertificateInfo* login_certificate(const PivSnapshot& snapshot) {
    if (const CertificateInfo* authentication = find_certificate(snapshot, PivSlot::AUTHENTICATION))
        return authentication;
    return find_certificate(snapshot, PivSlot::SIGNATURE);
}

PinState pin_state(const pcsc::Transmit& transmit) {
    return piv::pin_state(transmit);
}

void verify_pin(const pcsc::Transmit& transmit, const SecurePin& pin) {
    piv::verify_pin(transmit, pin);
}

void change_pin(const pcsc::Transmit& transmit, const SecurePin& current, const SecurePin& next) {
    piv::change_pin(transmit, current, next);
}

}  // namespace cardbridge::daemon::tokens
