#pragma once
// Certificate path validation against a fixed set of CA certificates, at a time the caller
// passes in (protocol code reads no clock).

#include <ctime>
#include <vector>

#include "cardbridge/protocol/crypto.hpp"

namespace cardbridge::crypto {

/// The CA certificates a verifier trusts. Each one is a trust anchor on its own, so an issuing
/// CA can be trusted without its root (as a portal trusts exactly the E-Port issuing CA); a
/// path ends at the first anchor, whose own signature is therefore never checked. Built once
/// and shared: verification does not modify it.
class TrustAnchors {
public:
    explicit TrustAnchors(std::vector<X509Ptr> certificates);

    /// Throws Error(CERT_EXPIRED) when a certificate of the path is not yet or no longer valid
    /// at `now`, Error(CERT_UNTRUSTED) when no valid path to an anchor exists. Attaches the SM2
    /// user ID to `leaf` (see use_sm2_default_user_id) before checking it.
    void verify(X509& leaf, std::time_t now) const;

private:
    X509StorePtr store_;
};

}  // namespace cardbridge::crypto
