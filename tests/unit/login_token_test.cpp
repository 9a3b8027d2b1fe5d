#include <doctest/doctest.h>

#include "expect_error.hpp"

#include <string>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/json.hpp"
#include "cardbridge/protocol/login_token.hpp"
#include "test_pki.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using namespace cardbridge::protocol;
using namespace cardbridge::test;
namespace crypto = cardbridge::crypto;

namespace {

const std::string kOrigin = "https://www.singlewindow.cn";
const std::time_t kNow = utc(2026, 1, 1);

std::string nonce_of(std::uint8_t seed, std::size_t size = 32) {
    crypto::Bytes bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(seed + 7 * i);
    return crypto::base64_encode(bytes);
}
const std::string kNonce = nonce_of(1);

CertificateSpec leaf_spec(std::time_t not_before, std::time_t not_after, std::string key_usage) {
    return {.subject = {{"C", "CN"}, {"OU", "某某进出口有限公司"}, {"CN", "张三"}},
            .not_before = not_before,
            .not_after = not_after,
            .serial = 0x0102a0,
            .key_usage = std::move(key_usage)};
}

// A CA with the leaves the acceptance rules need, and a second CA that is not trusted.
struct Pki {
    Credential ca;
    Credential other_ca;
    Credential leaf;
    Credential expired;
    Credential foreign;
    Credential encryption_only;

    crypto::TrustAnchors anchors() const {
        std::vector<crypto::X509Ptr> certificates;
        certificates.push_back(crypto::certificate_from_der(ca.der(), Reason::INTERNAL));
        return crypto::TrustAnchors(std::move(certificates));
    }
};

Pki make_pki(KeySpec ca_spec, KeySpec leaf_key) {
    auto ca = make_ca(ca_spec, "Test E-Port CA", utc(2020, 1, 1), utc(2040, 1, 1));
    auto other_ca = make_ca(ca_spec, "Other CA", utc(2020, 1, 1), utc(2040, 1, 1));
    const auto valid = leaf_spec(utc(2025, 1, 1), utc(2027, 1, 1), "critical,digitalSignature");
    auto leaf = issue(ca, leaf_key, valid);
    auto expired = issue(ca, leaf_key, leaf_spec(utc(2023, 1, 1), utc(2025, 1, 1), ""));
    auto foreign = issue(other_ca, leaf_key, valid);
    auto encryption_only = issue(
        ca, leaf_key,
        leaf_spec(utc(2025, 1, 1), utc(2027, 1, 1), "critical,keyEncipherment,nonRepudiation"));
    return {std::move(ca),      std::move(other_ca), std::move(leaf),
            std::move(expired), std::move(foreign),  std::move(encryption_only)};
}

bool is_rsa(LoginAlgorithm algorithm) {
    return algorithm == LoginAlgorithm::RS256 || algorithm == LoginAlgorithm::RS384;
}

// Signs the way a card given a precomputed digest does (PIV, raw SM2), then builds the token.
std::string card_token(const Credential& signer, LoginAlgorithm algorithm,
                       std::string_view origin = kOrigin, std::string_view nonce = kNonce) {
    const LoginDigest digest = login_digest(algorithm, Origin::parse(origin), nonce, *signer.key);
    if (is_rsa(algorithm))
        return build_login_token(algorithm, signer.der(),
                                 sign_digest(*signer.key, digest.digest_info));
    const std::size_t field = login_signature_size(algorithm, *signer.key) / 2;
    const crypto::Bytes der = sign_digest(*signer.key, digest.digest);
    return build_login_token(algorithm, signer.der(), crypto::ecdsa_der_to_raw(der, field));
}

// Signs the way a token that hashes for itself does (PKCS#11 *_SHA256 mechanisms, SKF).
std::string hashing_card_token(const Credential& signer, LoginAlgorithm algorithm) {
    const crypto::Bytes message = login_message(algorithm, Origin::parse(kOrigin), kNonce);
    crypto::Bytes signature = sign_message(*signer.key, login_hash(algorithm), message);
    if (!is_rsa(algorithm))
        signature =
            crypto::ecdsa_der_to_raw(signature, login_signature_size(algorithm, *signer.key) / 2);
    return build_login_token(algorithm, signer.der(), signature);
}

Reason reason_of(std::string_view token, const crypto::TrustAnchors& trusted,
                 std::string_view origin = kOrigin, std::string_view nonce = kNonce,
                 std::time_t now = kNow) {
    try {
        verify_login_token(token, origin, nonce, trusted, now);
    } catch (const Error& e) {
        return e.reason();
    }
    FAIL("token accepted: " << token);
    return Reason::INTERNAL;
}

void check_acceptance(KeySpec ca_spec, KeySpec leaf_key, LoginAlgorithm algorithm) {
    const Pki pki = make_pki(ca_spec, leaf_key);
    const auto trusted = pki.anchors();
    const std::string token = card_token(pki.leaf, algorithm);

    const VerifiedLogin login = verify_login_token(token, kOrigin, kNonce, trusted, kNow);
    CHECK(login.algorithm == algorithm);
    CHECK(login.certificate_der == pki.leaf.der());
    CHECK(login.subject == "CN=张三,OU=某某进出口有限公司,C=CN");
    CHECK(login.serial_hex == "0102a0");
    CHECK(login.not_before == utc(2025, 1, 1));
    CHECK(login.not_after == utc(2027, 1, 1));
    CHECK_NOTHROW(verify_login_token(hashing_card_token(pki.leaf, algorithm), kOrigin, kNonce,
                                     trusted, kNow));

    CHECK(reason_of(token, trusted, "https://www.singlewindow.cn.evil.com") ==
          Reason::SIGNATURE_INVALID);
    CHECK(reason_of(token, trusted, "http://www.singlewindow.cn") == Reason::SIGNATURE_INVALID);
    CHECK(reason_of(token, trusted, "https://www.singlewindow.cn:8443") ==
          Reason::SIGNATURE_INVALID);
    CHECK(reason_of(token, trusted, kOrigin, nonce_of(2)) == Reason::SIGNATURE_INVALID);
    CHECK(reason_of(card_token(pki.expired, algorithm), trusted) == Reason::CERT_EXPIRED);
    CHECK(reason_of(token, trusted, kOrigin, kNonce, utc(2024, 12, 31)) == Reason::CERT_EXPIRED);
    CHECK(reason_of(token, trusted, kOrigin, kNonce, utc(2027, 1, 2)) == Reason::CERT_EXPIRED);
    CHECK(reason_of(card_token(pki.foreign, algorithm), trusted) == Reason::CERT_UNTRUSTED);
    CHECK(reason_of(card_token(pki.encryption_only, algorithm), trusted) == Reason::CERT_KEY_USAGE);

    const crypto::TrustAnchors other = [&] {
        std::vector<crypto::X509Ptr> certificates;
        certificates.push_back(crypto::certificate_from_der(pki.other_ca.der(), Reason::INTERNAL));
        return crypto::TrustAnchors(std::move(certificates));
    }();
    CHECK(reason_of(token, other) == Reason::CERT_UNTRUSTED);
}

}  // namespace

TEST_CASE("login token: RS256 login tokens (RSA-2048)") {
    check_acceptance(KeySpec::RSA2048, KeySpec::RSA2048, LoginAlgorithm::RS256);
}

TEST_CASE("login token: RS384 login tokens (RSA-2048)") {
    check_acceptance(KeySpec::RSA2048, KeySpec::RSA2048, LoginAlgorithm::RS384);
}

TEST_CASE("login token: RS256 login tokens from a legacy RSA-1024 card key") {
    check_acceptance(KeySpec::RSA2048, KeySpec::RSA1024, LoginAlgorithm::RS256);
}

TEST_CASE("login token: ES256 login tokens (P-256)") {
    check_acceptance(KeySpec::P256, KeySpec::P256, LoginAlgorithm::ES256);
}

TEST_CASE("login token: ES384 login tokens (P-384)") {
    check_acceptance(KeySpec::P384, KeySpec::P384, LoginAlgorithm::ES384);
}

TEST_CASE("login token: SM2-SM3 login tokens signed over the Z digest as an SM2 card does") {
    check_acceptance(KeySpec::SM2, KeySpec::SM2, LoginAlgorithm::SM2_SM3);
}

TEST_CASE("login token: the leaf key decides the algorithm whatever the CA key type") {
    check_acceptance(KeySpec::RSA2048, KeySpec::SM2, LoginAlgorithm::SM2_SM3);
}

namespace {

// Re-encodes a valid token with one member changed (or removed, for a null value).
std::string with_member(const std::string& token, const std::string& name, const Json& value) {
    Json json = parse_json(token);
    if (value.is_null())
        json.erase(name);
    else
        json[name] = value;
    return dump_json(json);
}

}  // namespace

TEST_CASE("login token: verification checks the expected origin and the nonce first") {
    const Pki pki = make_pki(KeySpec::P256, KeySpec::P256);
    const auto trusted = pki.anchors();
    const std::string token = card_token(pki.leaf, LoginAlgorithm::ES256);
    for (std::string_view origin : {"https://www.singlewindow.cn/", "HTTPS://www.singlewindow.cn",
                                    "https://www.singlewindow.cn:443", "www.singlewindow.cn", ""})
        CHECK_MESSAGE(reason_of(token, trusted, origin) == Reason::ORIGIN_INVALID, origin);
    CHECK(reason_of("{", trusted, "https://a.cn/") == Reason::ORIGIN_INVALID);

    const std::string url_safe = "-_" + kNonce.substr(2);
    for (const std::string& nonce : {std::string(), nonce_of(1, 31), kNonce.substr(1), url_safe,
                                     kNonce + "\n", nonce_of(1, 193), std::string(44, '!')})
        CHECK_MESSAGE(reason_of(token, trusted, kOrigin, nonce) == Reason::NONCE_INVALID, nonce);
    CHECK(reason_of("{", trusted, kOrigin, "") == Reason::NONCE_INVALID);
    // 192 bytes are 256 characters, the longest nonce accepted.
    CHECK(reason_of(token, trusted, kOrigin, nonce_of(1, 192)) == Reason::SIGNATURE_INVALID);
}

TEST_CASE("login token: malformed tokens are TOKEN_MALFORMED") {
    const Pki pki = make_pki(KeySpec::P256, KeySpec::P256);
    const auto trusted = pki.anchors();
    const std::string token = card_token(pki.leaf, LoginAlgorithm::ES256);
    const std::string certificate = crypto::base64_encode(pki.leaf.der());
    crypto::Bytes trailing = pki.leaf.der();
    trailing.push_back(0);

    const std::string malformed[] = {
        "",
        "not json",
        "[]",
        "null",
        R"("cardbridge-login/1")",
        token + std::string(kMaxLoginTokenBytes, ' '),
        with_member(token, "extra", "x"),
        with_member(token, "Format", "cardbridge-login/1"),
        with_member(token, "format", nullptr),
        with_member(token, "algorithm", nullptr),
        with_member(token, "certificate", nullptr),
        with_member(token, "signature", nullptr),
        with_member(token, "format", 1),
        with_member(token, "algorithm", Json::array()),
        with_member(token, "certificate", Json::object()),
        with_member(token, "signature", true),
        with_member(token, "format", "cardbridge-login/2"),
        with_member(token, "algorithm", "none"),
        with_member(token, "algorithm", "es256"),
        with_member(token, "algorithm", "PS256"),
        with_member(token, "certificate", ""),
        with_member(token, "certificate", certificate + "="),
        with_member(token, "certificate", " " + certificate),
        with_member(token, "certificate", crypto::base64_encode(trailing)),
        with_member(token, "certificate", crypto::base64_encode(crypto::Bytes(8193, 0x30))),
        with_member(token, "certificate", "MIIB"),
        with_member(token, "signature", ""),
        with_member(token, "signature", "AAA"),
        with_member(token, "signature", crypto::base64_encode(crypto::Bytes(63))),
        with_member(token, "signature", crypto::base64_encode(crypto::Bytes(65))),
        with_member(token, "signature", crypto::base64_encode(crypto::Bytes(513))),
        // The same key's signature in DER instead of r||s.
        with_member(token, "signature",
                    crypto::base64_encode(crypto::ecdsa_raw_to_der(*crypto::base64_decode(
                        parse_json(token)["signature"].get<std::string>())))),
        // Another algorithm than the certificate's key signs with.
        with_member(token, "algorithm", "ES384"),
        with_member(token, "algorithm", "RS256"),
        with_member(token, "algorithm", "SM2-SM3"),
    };
    for (const auto& bad : malformed)
        CHECK_MESSAGE(reason_of(bad, trusted) == Reason::TOKEN_MALFORMED, bad);

    // JSON whitespace is not part of the format.
    CHECK_NOTHROW(verify_login_token(" \n" + parse_json(token).dump(2) + "\n", kOrigin, kNonce,
                                     trusted, kNow));
}

TEST_CASE("login token: keys no login algorithm supports are UNSUPPORTED_ALGORITHM") {
    const auto ca = make_ca(KeySpec::P256, "CA", utc(2020, 1, 1), utc(2040, 1, 1));
    const auto trusted = [&] {
        std::vector<crypto::X509Ptr> certificates;
        certificates.push_back(crypto::certificate_from_der(ca.der(), Reason::INTERNAL));
        return crypto::TrustAnchors(std::move(certificates));
    }();
    for (auto spec : {KeySpec::ED25519, KeySpec::RSA512}) {
        const auto leaf = issue(ca, spec, leaf_spec(utc(2025, 1, 1), utc(2027, 1, 1), ""));
        const std::string token = R"({"format":"cardbridge-login/1","algorithm":"RS256",)"
                                  R"("certificate":")" +
                                  crypto::base64_encode(leaf.der()) + R"(","signature":")" +
                                  crypto::base64_encode(crypto::Bytes(64)) + R"("})";
        CHECK(reason_of(token, trusted) == Reason::UNSUPPORTED_ALGORITHM);
        CHECK(reason_of_call([&] { login_algorithm_for_key(*leaf.key); }) ==
              Reason::UNSUPPORTED_ALGORITHM);
        CHECK(reason_of_call([&] {
                  build_login_token(LoginAlgorithm::RS256, leaf.der(), crypto::Bytes(64));
              }) == Reason::UNSUPPORTED_ALGORITHM);
    }
}

TEST_CASE("login token: signatures that do not match are SIGNATURE_INVALID") {
    const Pki pki = make_pki(KeySpec::P256, KeySpec::P256);
    const auto trusted = pki.anchors();
    const std::string token = card_token(pki.leaf, LoginAlgorithm::ES256);
    crypto::Bytes signature =
        *crypto::base64_decode(parse_json(token)["signature"].get<std::string>());
    signature[10] ^= 0x01;
    const auto replace = [&](const crypto::Bytes& bytes) {
        return with_member(token, "signature", crypto::base64_encode(bytes));
    };
    CHECK(reason_of(replace(signature), trusted) == Reason::SIGNATURE_INVALID);
    CHECK(reason_of(replace(crypto::Bytes(64, 0)), trusted) == Reason::SIGNATURE_INVALID);
    CHECK(reason_of(replace(crypto::Bytes(64, 0xff)), trusted) == Reason::SIGNATURE_INVALID);
    // The leaf's signature presented with another valid certificate of the same CA.
    const auto sibling = issue(pki.ca, KeySpec::P256,
                               leaf_spec(utc(2025, 1, 1), utc(2027, 1, 1), "digitalSignature"));
    CHECK(reason_of(with_member(token, "certificate", crypto::base64_encode(sibling.der())),
                    trusted) == Reason::SIGNATURE_INVALID);

    const Pki rsa = make_pki(KeySpec::RSA2048, KeySpec::RSA2048);
    const std::string rs384 = card_token(rsa.leaf, LoginAlgorithm::RS384);
    CHECK(reason_of(with_member(rs384, "algorithm", "RS256"), rsa.anchors()) ==
          Reason::SIGNATURE_INVALID);
}

TEST_CASE("login token: the signed message is H(origin) || H(nonce) over the exact strings") {
    const Origin origin = Origin::parse(kOrigin);
    const auto text = [](std::string_view s) {
        return std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    };
    crypto::Bytes expected = crypto::digest(crypto::DigestAlgorithm::SHA256, text(kOrigin));
    const crypto::Bytes nonce_hash = crypto::digest(crypto::DigestAlgorithm::SHA256, text(kNonce));
    expected.insert(expected.end(), nonce_hash.begin(), nonce_hash.end());
    CHECK(login_message(LoginAlgorithm::ES256, origin, kNonce) == expected);
    CHECK(login_message(LoginAlgorithm::RS256, origin, kNonce) == expected);
    CHECK(login_message(LoginAlgorithm::ES384, origin, kNonce).size() == 96);
    CHECK(login_message(LoginAlgorithm::SM2_SM3, origin, kNonce).size() == 64);
    CHECK(reason_of_call([&] { login_message(LoginAlgorithm::ES256, origin, "short"); }) ==
          Reason::NONCE_INVALID);

    const auto rsa = generate_key(KeySpec::RSA1024);
    const LoginDigest rs256 = login_digest(LoginAlgorithm::RS256, origin, kNonce, *rsa);
    CHECK(rs256.digest == crypto::digest(crypto::DigestAlgorithm::SHA256, expected));
    CHECK(rs256.digest_info == crypto::digest_info(crypto::DigestAlgorithm::SHA256, rs256.digest));
    const auto p256 = generate_key(KeySpec::P256);
    const LoginDigest es256 = login_digest(LoginAlgorithm::ES256, origin, kNonce, *p256);
    CHECK(es256.digest == rs256.digest);
    CHECK(es256.digest_info.empty());
    const auto sm2 = generate_key(KeySpec::SM2);
    const LoginDigest sm2_digest = login_digest(LoginAlgorithm::SM2_SM3, origin, kNonce, *sm2);
    CHECK(sm2_digest.digest ==
          crypto::sm3_with_z(*sm2, login_message(LoginAlgorithm::SM2_SM3, origin, kNonce)));
    CHECK(sm2_digest.digest_info.empty());
    CHECK(reason_of_call([&] { login_digest(LoginAlgorithm::ES256, origin, kNonce, *sm2); }) ==
          Reason::TOKEN_MALFORMED);
}

TEST_CASE("login token: algorithm names and key defaults and signature sizes") {
    for (auto algorithm : {LoginAlgorithm::RS256, LoginAlgorithm::RS384, LoginAlgorithm::ES256,
                           LoginAlgorithm::ES384, LoginAlgorithm::SM2_SM3})
        CHECK(login_algorithm_from_name(login_algorithm_name(algorithm)) == algorithm);
    CHECK(login_algorithm_name(LoginAlgorithm::SM2_SM3) == "SM2-SM3");
    CHECK_FALSE(login_algorithm_from_name("SM2_SM3"));
    CHECK_FALSE(login_algorithm_from_name("rs256"));
    CHECK_FALSE(login_algorithm_from_name(""));

    const auto rsa1024 = generate_key(KeySpec::RSA1024);
    const auto p384 = generate_key(KeySpec::P384);
    const auto sm2 = generate_key(KeySpec::SM2);
    CHECK(login_algorithm_for_key(*rsa1024) == LoginAlgorithm::RS256);
    CHECK(login_algorithm_for_key(*generate_key(KeySpec::P256)) == LoginAlgorithm::ES256);
    CHECK(login_algorithm_for_key(*p384) == LoginAlgorithm::ES384);
    CHECK(login_algorithm_for_key(*sm2) == LoginAlgorithm::SM2_SM3);
    CHECK(login_signature_size(LoginAlgorithm::RS384, *rsa1024) == 128);
    CHECK(login_signature_size(LoginAlgorithm::ES384, *p384) == 96);
    CHECK(login_signature_size(LoginAlgorithm::SM2_SM3, *sm2) == 64);
    CHECK(reason_of_call([&] { login_signature_size(LoginAlgorithm::ES256, *p384); }) ==
          Reason::TOKEN_MALFORMED);
}

TEST_CASE(
    "login token: the builder writes the documented JSON and refuses what verification would") {
    const auto ca = make_ca(KeySpec::SM2, "CA", utc(2020, 1, 1), utc(2040, 1, 1));
    const auto leaf = issue(ca, KeySpec::SM2, leaf_spec(utc(2025, 1, 1), utc(2027, 1, 1), ""));
    const crypto::Bytes signature(64, 0xab);
    CHECK(build_login_token(LoginAlgorithm::SM2_SM3, leaf.der(), signature) ==
          R"({"format":"cardbridge-login/1","algorithm":"SM2-SM3","certificate":")" +
              crypto::base64_encode(leaf.der()) + R"(","signature":")" +
              crypto::base64_encode(signature) + R"("})");

    crypto::Bytes trailing = leaf.der();
    trailing.push_back(0);
    const auto refusal = [&](LoginAlgorithm algorithm, const crypto::Bytes& der,
                             const crypto::Bytes& sig) {
        return reason_of_call([&] { build_login_token(algorithm, der, sig); });
    };
    CHECK(refusal(LoginAlgorithm::SM2_SM3, leaf.der(), crypto::Bytes(63)) ==
          Reason::TOKEN_MALFORMED);
    CHECK(refusal(LoginAlgorithm::SM2_SM3, leaf.der(), crypto::Bytes(70)) ==
          Reason::TOKEN_MALFORMED);
    CHECK(refusal(LoginAlgorithm::ES256, leaf.der(), signature) == Reason::TOKEN_MALFORMED);
    CHECK(refusal(LoginAlgorithm::SM2_SM3, trailing, signature) == Reason::TOKEN_MALFORMED);
    CHECK(refusal(LoginAlgorithm::SM2_SM3, {}, signature) == Reason::TOKEN_MALFORMED);
    CHECK(refusal(LoginAlgorithm::SM2_SM3, crypto::Bytes(kMaxLoginCertificateBytes + 1, 0x30),
                  signature) == Reason::TOKEN_MALFORMED);
}
