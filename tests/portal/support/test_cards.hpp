#pragma once
// The test PKI's cards (tools/test-pki/README.md) as a page would use them, made here from
// their private keys: the login token of `auth.login` (slot 9A) and the legacy page's
// SpcSignRandom signature with its signing certificate (slot 9C).

#include <string>

#include "cardbridge/protocol/crypto.hpp"

namespace cardbridge::portal::test {

struct SlotKey {
    crypto::PkeyPtr key;
    crypto::Bytes certificate_der;
};

class TestCard {
public:
    /// A card of the test PKI by name, e.g. "trade-legal-sm2".
    explicit TestCard(const std::string& name);
    /// Any key and certificate (a card of a CA the portal does not trust).
    TestCard(SlotKey authentication, SlotKey signing)
        : authentication_(std::move(authentication)), signing_(std::move(signing)) {}

    /// The cardbridge-login/1 token over `nonce` for `origin`.
    std::string login_token(const std::string& origin, const std::string& nonce) const;
    /// base64 of the 9C certificate's DER.
    std::string signing_certificate() const;
    /// base64 SpcSignRandom signature over the nonce's UTF-8 bytes (RSA: PKCS#1 v1.5 SHA-1;
    /// SM2: raw r‖s over SM3 with Z; ECDSA: raw r‖s over SHA-256).
    std::string legacy_signature(const std::string& nonce) const;

private:
    SlotKey authentication_;
    SlotKey signing_;
};

}  // namespace cardbridge::portal::test
