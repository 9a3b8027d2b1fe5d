#pragma once
// The token as the legacy API sees it: the one card or key present (the protocol cannot name
// a reader) and its E-Port signing certificate.

#include <string>

#include "cardbridge/protocol/apdu.hpp"
#include "service/card_job.hpp"
#include "service/token_services.hpp"
#include "tokens/certificate_info.hpp"
#include "tokens/token.hpp"

namespace cardbridge::daemon::legacy {

/// Runs `work` on the one token present: NO_READER / NO_CARD without one, TOKEN_AMBIGUOUS with
/// several. `may_prompt` lengthens the deadline for a PIN prompt.
void on_the_card(const TokenServices& services, bool may_prompt, CardWork work, Complete done);

/// E-Port's signing certificate (tokens::signing_certificate); UNSUPPORTED_TOKEN without one.
const tokens::CertificateInfo& eport_certificate(const tokens::TokenSnapshot& snapshot);

/// E-Port's certNo of `certificate`.
std::string cert_no(const tokens::CertificateInfo& certificate);

}  // namespace cardbridge::daemon::legacy
