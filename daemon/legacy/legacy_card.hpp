#pragma once
// The card as the legacy API sees it: the one card present (the protocol cannot name a
// reader) and its E-Port signing certificate.

#include <string>

#include "cardbridge/protocol/apdu.hpp"
#include "service/card_job.hpp"
#include "service/token_services.hpp"
#include "tokens/certificate_info.hpp"
#include "tokens/piv_token.hpp"

namespace cardbridge::daemon::legacy {

/// Runs `work` on the one card present: NO_READER / NO_CARD without one, TOKEN_AMBIGUOUS with
/// several. `may_prompt` lengthens the deadline for a PIN prompt.
void on_the_card(const TokenServices& services, bool may_prompt, CardWork work, Complete done);

/// Slot 9C (E-Port's signing certificate), else 9A; UNSUPPORTED_TOKEN without either.
const tokens::CertificateInfo& signing_certificate(const tokens::PivSnapshot& snapshot);

bool is_rsa(const tokens::CertificateInfo& certificate) noexcept;

/// E-Port's certNo of `certificate`.
std::string cert_no(const tokens::CertificateInfo& certificate);

}  // namespace cardbridge::daemon::legacy
