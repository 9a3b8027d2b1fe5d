#pragma once
// Which kind of public key a certificate or token holds, as far as cardbridge's signature
// algorithms care: everything else is one "unsupported" answer rather than a guess.

#include "cardbridge/protocol/crypto.hpp"

namespace cardbridge::crypto {

enum class KeyKind { RSA, EC_P256, EC_P384, SM2, OTHER };

/// RSA means PKCS#1 rsaEncryption keys (RSA-PSS-only keys are OTHER). SM2 means a key that
/// OpenSSL will use for SM2 signatures: an SM2-typed key on the SM2 curve, which is what a
/// certificate with the SM2 curve OID decodes to.
KeyKind key_kind(const EVP_PKEY& key) noexcept;

/// The size in bits: the modulus for RSA, the group order for elliptic curves.
int key_bits(const EVP_PKEY& key) noexcept;

}  // namespace cardbridge::crypto
