#pragma once
// The groups of legacy methods (docs/LEGACY.md), each added to the table by its own file.

#include "legacy/legacy_api.hpp"
#include "service/token_services.hpp"

namespace cardbridge::daemon::legacy {

/// SpcInitEnvEx, SpcClearEnv, SpcSetInitEnvPriority, the card and certificate data, the
/// user info string, SpcGetValidTimeFromCert.
void add_card_data_methods(LegacyApi& api, TokenServices& services);
/// SpcVerifyPIN(All), SpcChangePIN, security_login, swc_security_login.
void add_pin_methods(LegacyApi& api, TokenServices& services);
/// The Spc*Sign* methods and SpcSHA1Digest(AsPEM).
void add_signing_methods(LegacyApi& api, TokenServices& services);
/// Verification, base64, versions and compatibility probes: no private key involved.
void add_utility_methods(LegacyApi& api, TokenServices& services);

}  // namespace cardbridge::daemon::legacy
