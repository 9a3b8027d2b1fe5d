#pragma once
// One key slot of the card: its private key, its certificate and the PIV algorithm that follows
// from the key. All of the virtual card's OpenSSL use lives behind this type.

#include <string_view>

#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/crypto.hpp"
#include "piv.hpp"

namespace cardbridge::vcard {

/// A PEM private key (PKCS#8 or traditional). Throws Error(INVALID_PARAMS) for anything else,
/// Error(UNSUPPORTED_ALGORITHM) for keys the card has no PIV algorithm for.
crypto::PkeyPtr parse_private_key(std::string_view pem);

class SlotKey {
public:
    /// Throws Error(INVALID_PARAMS) when `certificate_der` is not one certificate or certifies
    /// another key.
    SlotKey(crypto::PkeyPtr key, protocol::Bytes certificate_der);

    piv::Algorithm algorithm() const noexcept { return algorithm_; }
    const protocol::Bytes& certificate() const noexcept { return certificate_; }
    /// The size GENERAL AUTHENTICATE's challenge must have: the modulus for raw RSA, the field
    /// for ECDSA and SM2 (a hash cut to the field size, as SP 800-73-4 has clients send it).
    std::size_t challenge_size() const noexcept;

    /// Raw RSA (the client padded the block) or a DER ECDSA-Sig-Value over `challenge` taken as
    /// the digest, for SM2 too (the client computed SM3 with Z). Throws Error(INVALID_PARAMS)
    /// for a challenge of the wrong size or, for RSA, not below the modulus.
    protocol::Bytes sign(protocol::ByteView challenge) const;

private:
    crypto::PkeyPtr key_;
    protocol::Bytes certificate_;
    piv::Algorithm algorithm_;
};

}  // namespace cardbridge::vcard
