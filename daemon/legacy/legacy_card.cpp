#include "legacy/legacy_card.hpp"

#include "cardbridge/protocol/legacy_formats.hpp"

namespace cardbridge::daemon::legacy {

using tokens::KeyAlgorithm;

void on_the_card(const TokenServices& services, bool may_prompt, CardWork work, Complete done) {
    const auto& entry = services.readers.resolve(std::nullopt);
    run_on_card(services.io, entry, services.deadline(may_prompt), std::move(work), std::move(done));
}

const tokens::CertificateInfo& signing_certificate(const tokens::PivSnapshot& snapshot) {
    for (auto slot : {tokens::PivSlot::SIGNATURE, tokens::PivSlot::AUTHENTICATION})
        if (const auto* cert = tokens::find_certificate(snapshot, slot)) return *cert;
    throw Error(Reason::UNSUPPORTED_TOKEN, "the card has no signing certificate");
}

bool is_rsa(const tokens::CertificateInfo& certificate) noexcept {
    return certificate.key_algorithm == KeyAlgorithm::RSA_1024 ||
           certificate.key_algorithm == KeyAlgorithm::RSA_2048;
}

std::string cert_no(const tokens::CertificateInfo& certificate) {
    return protocol::legacy::cert_no(certificate.serial, is_rsa(certificate));
}

}  // namespace cardbridge::daemon::legacy
