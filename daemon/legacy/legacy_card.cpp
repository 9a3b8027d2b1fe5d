#include "legacy/legacy_card.hpp"

#include "cardbridge/protocol/legacy_formats.hpp"

namespace cardbridge::daemon::legacy {

void on_the_card(const TokenServices& services, bool may_prompt, CardWork work, Complete done) {
    const auto& entry = services.readers.resolve(std::nullopt);
    run_on_card(services.io, entry, services.deadline(may_prompt), std::move(work), std::move(done));
}

const tokens::CertificateInfo& eport_certificate(const tokens::TokenSnapshot& snapshot) {
    if (const auto* cert = tokens::signing_certificate(snapshot)) return *cert;
    throw Error(Reason::UNSUPPORTED_TOKEN, "the token has no signing certificate");
}

std::string cert_no(const tokens::CertificateInfo& certificate) {
    return protocol::legacy::cert_no(certificate.serial, tokens::is_rsa(certificate.key_algorithm));
}

}  // namespace cardbridge::daemon::legacy
