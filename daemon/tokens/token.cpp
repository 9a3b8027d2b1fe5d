#include "tokens/token.hpp"

#include <algorithm>

namespace cardbridge::daemon::tokens {
const CertificateInfo* first_with(const TokenSnapshot& snapshot, KeyUsage usage) {
    const auto found = std::find_if(snapshot.certificates.begin(), snapshot.certificates.end(),
                                    [usage](const CertificateInfo& c) { return c.usage == usage; });
    return found == snapshot.certificates.end() ? nullptr : &*found;
}

namespace {

const CertificateInfo* first_of(const TokenSnapshot& snapshot, KeyUsage preferred, KeyUsage other) {
    if (const auto* certificate = first_with(snapshot, preferred)) return certificate;
    return first_with(snapshot, other);
}

}  // namespace

const CertificateInfo* find_certificate(const TokenSnapshot& snapshot, std::string_view key) {
    const auto found = std::find_if(snapshot.certificates.begin(), snapshot.certificates.end(),
                                    [key](const CertificateInfo& c) { return c.key == key; });
    return found == snapshot.certificates.end() ? nullptr : &*found;
}

const CertificateInfo* login_certificate(const TokenSnapshot& snapshot) {
    return first_of(snapshot, KeyUsage::LOGIN, KeyUsage::SIGN);
}

const CertificateInfo* signing_certificate(const TokenSnapshot& snapshot) {
    return first_of(snapshot, KeyUsage::SIGN, KeyUsage::LOGIN);
}

void fill_identity(TokenSnapshot& snapshot, std::string_view fallback_label) {
    // The signing certificate is what E-Port identifies a card by, so its attributes win.
    constexpr KeyUsage kPreference[] = {KeyUsage::SIGN, KeyUsage::LOGIN, KeyUsage::ENVELOPE,
                                        KeyUsage::CARD_AUTH};
    const CertificateInfo* fallback = nullptr;
    snapshot.attributes = {};
    for (const KeyUsage usage : kPreference)
        for (const CertificateInfo& certificate : snapshot.certificates) {
            if (certificate.usage != usage) continue;
            if (certificate.attributes.from_extensions && !snapshot.attributes.from_extensions)
                snapshot.attributes = certificate.attributes;
            if (!fallback) fallback = &certificate;
        }
    if (!snapshot.attributes.from_extensions && fallback) snapshot.attributes = fallback->attributes;
    if (auto card_id = snapshot.attributes.card_id) snapshot.card_id = *card_id;
    const std::string enterprise = snapshot.attributes.enterprise_name.value_or("");
    const std::string holder = snapshot.attributes.holder_name.value_or("");
    if (enterprise.empty() && holder.empty())
        snapshot.label = std::string(fallback_label);
    else if (enterprise.empty() || holder.empty())
        snapshot.label = enterprise + holder;
    else
        snapshot.label = enterprise + " " + holder;
}

}  // namespace cardbridge::daemon::tokens
