#pragma once
// Signatures and login tokens with any Token's key. Hashing, DigestInfo, SM2's Z and the login
// token's shape are the daemon's work, done here once; the token only transforms the prepared
// value (Token::sign_value).

#include <optional>
#include <string>
#include <string_view>

#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/origin.hpp"
#include "tokens/token.hpp"

namespace cardbridge::daemon::tokens {

enum class SignAlgorithm { RSA_SHA1, RSA_SHA256, ECDSA_SHA256, ECDSA_SHA384, SM2_SM3 };

/// "RSA-SHA1", "RSA-SHA256", "ECDSA-SHA256", "ECDSA-SHA384", "SM2-SM3".
std::string_view sign_algorithm_name(SignAlgorithm algorithm) noexcept;
std::optional<SignAlgorithm> sign_algorithm_from_name(std::string_view name) noexcept;

/// What to sign: data the daemon hashes, or a digest computed elsewhere (for SM2 the value
/// SM3(Z ‖ M)). Views only: the bytes must outlive the call.
struct SignInput {
    enum class Kind { DATA, HASH };
    Kind kind;
    protocol::ByteView bytes;

    static SignInput data(protocol::ByteView bytes) noexcept { return {Kind::DATA, bytes}; }
    static SignInput hash(protocol::ByteView bytes) noexcept { return {Kind::HASH, bytes}; }
};

/// The signature of `certificate`'s key: the PKCS#1 v1.5 block for RSA, raw r ‖ s for ECDSA
/// and SM2 (SM2 with the user ID 1234567812345678). Error(UNSUPPORTED_ALGORITHM) when
/// `algorithm` does not fit the key, Error(INVALID_PARAMS) for a hash of the wrong length;
/// otherwise as Token::sign_value, which `pin` is passed to.
protocol::Bytes sign(Token& token, const CertificateInfo& certificate, SignAlgorithm algorithm,
                     SignInput input, const SecurePin* pin);

/// The origin-bound login token (protocol/login_token.hpp) signed by `certificate`'s key, as
/// its JSON text. Error(NONCE_INVALID) for a bad nonce; otherwise as sign().
std::string login(Token& token, const CertificateInfo& certificate, const protocol::Origin& origin,
                  std::string_view nonce, const SecurePin* pin);

}  // namespace cardbridge::daemon::tokens
