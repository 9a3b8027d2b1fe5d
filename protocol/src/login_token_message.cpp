#include <string>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/login_token.hpp"

namespace cardbridge::protocol {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

void check_login_nonce(std::string_view nonce) {
    if (nonce.size() > kMaxNonceChars)
        throw Error(Reason::NONCE_INVALID,
                    "nonce longer than " + std::to_string(kMaxNonceChars) + " characters");
    const auto decoded = crypto::base64_decode(nonce);
    if (!decoded) throw Error(Reason::NONCE_INVALID, "nonce is not strict base64");
    if (decoded->size() < kMinNonceBytes)
        throw Error(Reason::NONCE_INVALID, "nonce must carry at least " +
                                               std::to_string(kMinNonceBytes) + " random bytes");
}

crypto::Bytes login_message(LoginAlgorithm algorithm, const Origin& origin,
                            std::string_view nonce) {
    check_login_nonce(nonce);
    const crypto::DigestAlgorithm hash = login_hash(algorithm);
    crypto::Bytes message = crypto::digest(hash, bytes_of(origin.str()));
    const crypto::Bytes nonce_hash = crypto::digest(hash, bytes_of(nonce));
    message.insert(message.end(), nonce_hash.begin(), nonce_hash.end());
    return message;
}

LoginDigest login_digest(LoginAlgorithm algorithm, const Origin& origin, std::string_view nonce,
                         const EVP_PKEY& public_key) {
    check_login_key(algorithm, public_key);
    const crypto::Bytes message = login_message(algorithm, origin, nonce);
    const crypto::DigestAlgorithm hash = login_hash(algorithm);
    switch (algorithm) {
        case LoginAlgorithm::SM2_SM3:
            return {crypto::sm3_with_z(public_key, message), {}};
        case LoginAlgorithm::RS256:
        case LoginAlgorithm::RS384: {
            crypto::Bytes digest = crypto::digest(hash, message);
            crypto::Bytes info = crypto::digest_info(hash, digest);
            return {std::move(digest), std::move(info)};
        }
        default:
            return {crypto::digest(hash, message), {}};
    }
}

}  // namespace cardbridge::protocol
