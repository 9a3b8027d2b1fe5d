#pragma once
// The two ways a page proves a card answered this server's challenge. Everything the portal
// then believes about the card comes from the certificate of a proof verified here.

#include <ctime>
#include <string>
#include <string_view>

#include "card/card_identity.hpp"
#include "cardbridge/protocol/crypto_trust.hpp"

namespace cardbridge::portal {

class CardProofs {
public:
    CardProofs(crypto::TrustAnchors anchors, std::string origin)
        : anchors_(std::move(anchors)), origin_(std::move(origin)) {}

    /// The origin-bound login token (cardbridge `auth.login`, ARCHITECTURE.md §5) over `nonce`
    /// for this server's origin. Throws PortalError with the protocol's reason, or CARD_NOT_EPORT.
    CardIdentity login_token(std::string_view token, std::string_view nonce, std::time_t now) const;

    /// The legacy page's proof: `signature` (base64) of SpcSignRandom over the UTF-8 nonce by
    /// the key of `certificate` (base64 DER, or PEM as SpcGetSignCertAsPEM gives it). RSA signs
    /// PKCS#1 v1.5 with SHA-1, SM2 raw r‖s with SM3 and the default user ID, ECDSA raw r‖s
    /// with SHA-256 (what the daemon's legacy API produces).
    CardIdentity legacy_signature(std::string_view certificate, std::string_view signature,
                                  std::string_view nonce, std::time_t now) const;

private:
    crypto::TrustAnchors anchors_;
    std::string origin_;
};

}  // namespace cardbridge::portal
