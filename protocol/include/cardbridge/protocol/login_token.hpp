#pragma once
// The origin-bound login token (ARCHITECTURE.md §5). The card signs M = H(origin) ‖ H(nonce)
// with a signature algorithm that hashes M again with the same H, so the value signed is
// H(H(origin) ‖ H(nonce)) (for SM2: SM3(Z ‖ M) with the GM/T 0009 user ID). H(origin) and
// H(nonce) are taken over the exact bytes of the two strings as they travel, UTF-8 text: the
// canonical origin "https://www.singlewindow.cn" and the nonce's base64 text, not the bytes it
// decodes to. The token carries neither, so a verifier rebuilds both from its own session and
// a signature made for one page or one challenge is worthless for any other.
//
// Wire form: {"format":"cardbridge-login/1","algorithm":"ES256","certificate":"<base64 DER>",
// "signature":"<base64>"}; RSA signatures are the PKCS#1 v1.5 block, ECDSA and SM2 signatures
// are raw r‖s of fixed length (as in JWS and the legacy E-Port API).

#include <cstdint>
#include <ctime>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cardbridge/protocol/crypto.hpp"
#include "cardbridge/protocol/crypto_digest.hpp"
#include "cardbridge/protocol/crypto_trust.hpp"
#include "cardbridge/protocol/origin.hpp"

namespace cardbridge::protocol {

inline constexpr std::string_view kLoginTokenFormat = "cardbridge-login/1";
inline constexpr std::size_t kMaxLoginTokenBytes = 16 * 1024;
inline constexpr std::size_t kMaxLoginCertificateBytes = 8 * 1024;
/// An RSA-4096 signature; larger keys are not accepted.
inline constexpr std::size_t kMaxLoginSignatureBytes = 512;
inline constexpr std::size_t kMinNonceBytes = 32;
inline constexpr std::size_t kMaxNonceChars = 256;

/// RS256/RS384: RSA PKCS#1 v1.5 with SHA-256/384, keys of 1024 (legacy E-Port cards) to 4096
/// bits. ES256/ES384: ECDSA on P-256/P-384. SM2_SM3 ("SM2-SM3"): SM2 with SM3.
enum class LoginAlgorithm { RS256, RS384, ES256, ES384, SM2_SM3 };

std::string_view login_algorithm_name(LoginAlgorithm algorithm) noexcept;
std::optional<LoginAlgorithm> login_algorithm_from_name(std::string_view name) noexcept;
/// H: SHA-256 for RS256 and ES256, SHA-384 for RS384 and ES384, SM3 for SM2-SM3.
crypto::DigestAlgorithm login_hash(LoginAlgorithm algorithm) noexcept;

/// The algorithm a key signs with: RS256, ES256, ES384 or SM2-SM3. Throws
/// Error(UNSUPPORTED_ALGORITHM) for any other key.
LoginAlgorithm login_algorithm_for_key(const EVP_PKEY& key);
/// Throws Error(UNSUPPORTED_ALGORITHM) for a key no login algorithm supports and
/// Error(TOKEN_MALFORMED) when `algorithm` is not one this key signs with.
void check_login_key(LoginAlgorithm algorithm, const EVP_PKEY& key);
/// The exact signature length in the token: the modulus size for RSA, 2 × field size otherwise.
std::size_t login_signature_size(LoginAlgorithm algorithm, const EVP_PKEY& key);

/// Throws Error(NONCE_INVALID) unless `nonce` is strict base64 (see crypto_base64.hpp) of at
/// least kMinNonceBytes bytes, at most kMaxNonceChars characters long.
void check_login_nonce(std::string_view nonce);

/// M = H(origin) ‖ H(nonce): what a card signs when it hashes for itself.
crypto::Bytes login_message(LoginAlgorithm algorithm, const Origin& origin, std::string_view nonce);

/// What a card that signs a precomputed digest must be given.
struct LoginDigest {
    /// H(M); for SM2-SM3, SM3(Z ‖ M) with Z from the key and the GM/T 0009 user ID.
    crypto::Bytes digest;
    /// RS256/RS384 only (empty otherwise): the DER DigestInfo around `digest`, the block that
    /// PKCS#1 v1.5 pads, for cards (PIV) that do raw RSA.
    crypto::Bytes digest_info;
};
LoginDigest login_digest(LoginAlgorithm algorithm, const Origin& origin, std::string_view nonce,
                         const EVP_PKEY& public_key);

/// The token's JSON text. Refuses (with the reason verification would give) a certificate that
/// is not one DER certificate within kMaxLoginCertificateBytes, a key `algorithm` does not
/// fit, and a signature that is not exactly login_signature_size() bytes (a DER ECDSA value
/// must be converted with crypto::ecdsa_der_to_raw first).
std::string build_login_token(LoginAlgorithm algorithm,
                              std::span<const std::uint8_t> certificate_der,
                              std::span<const std::uint8_t> signature);

struct VerifiedLogin {
    LoginAlgorithm algorithm;
    crypto::Bytes certificate_der;
    std::string subject;     // RFC 2253, UTF-8 (see crypto::certificate_subject)
    std::string serial_hex;  // lower-case hex
    std::time_t not_before;
    std::time_t not_after;
};

/// Checks, in this order: `expected_origin` is canonical (ORIGIN_INVALID), `nonce` is valid
/// (NONCE_INVALID), the token's shape, members, format, algorithm, base64 and sizes
/// (TOKEN_MALFORMED), the key fits the algorithm (UNSUPPORTED_ALGORITHM / TOKEN_MALFORMED),
/// the certificate chains to `trusted` (CERT_UNTRUSTED) and every certificate of the chain is
/// valid at `now` (CERT_EXPIRED), keyUsage allows digitalSignature (CERT_KEY_USAGE), and the
/// signature (SIGNATURE_INVALID).
VerifiedLogin verify_login_token(std::string_view token, std::string_view expected_origin,
                                 std::string_view nonce, const crypto::TrustAnchors& trusted,
                                 std::time_t now);

}  // namespace cardbridge::protocol
