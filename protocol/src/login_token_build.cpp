#include <string>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/login_token.hpp"

namespace cardbridge::protocol {

std::string build_login_token(LoginAlgorithm algorithm,
                              std::span<const std::uint8_t> certificate_der,
                              std::span<const std::uint8_t> signature) {
    if (certificate_der.size() > kMaxLoginCertificateBytes)
        throw Error(
            Reason::TOKEN_MALFORMED,
            "certificate larger than " + std::to_string(kMaxLoginCertificateBytes) + " bytes");
    const auto certificate = crypto::certificate_from_der(certificate_der, Reason::TOKEN_MALFORMED);
    const std::size_t expected =
        login_signature_size(algorithm, crypto::certificate_public_key(*certificate));
    if (signature.size() != expected)
        throw Error(Reason::TOKEN_MALFORMED, "a " + std::string(login_algorithm_name(algorithm)) +
                                                 " signature of this key is " +
                                                 std::to_string(expected) + " bytes, not " +
                                                 std::to_string(signature.size()));
    // Every value is a fixed name or base64, none needs JSON escaping.
    return std::string(R"({"format":")") + std::string(kLoginTokenFormat) + R"(","algorithm":")" +
           std::string(login_algorithm_name(algorithm)) + R"(","certificate":")" +
           crypto::base64_encode(certificate_der) + R"(","signature":")" +
           crypto::base64_encode(signature) + R"("})";
}

}  // namespace cardbridge::protocol
