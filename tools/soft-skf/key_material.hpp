#pragma once
// The private keys a soft device holds: SM2 (GM/T 0003) and RSA up to 2048 bits (what fits an
// RSAPUBLICKEYBLOB). Anything else is refused when it is imported and when it is read.

#include <optional>
#include <string>
#include <string_view>

#include "openssl_types.hpp"

namespace cardbridge::softskf {

enum class KeyType { SM2, RSA };

struct PrivateKey {
    PkeyPtr key;
    KeyType type;
};

/// Parses a PEM private key (PKCS#8 or traditional, unencrypted). An EC key on the SM2 curve
/// becomes an SM2 key, since only those sign with SM2. Throws StoreError naming `source`.
PrivateKey load_private_key(std::string_view pem, std::string_view source);

/// The key as unencrypted PKCS#8 PEM, the form a store file keeps. Throws StoreError.
std::string pkcs8_pem(EVP_PKEY& key);

/// SM2 or RSA for a public key as a certificate carries it; nothing for other kinds.
std::optional<KeyType> public_key_type(const EVP_PKEY& key);

}  // namespace cardbridge::softskf
