#include <doctest/doctest.h>

#include "expect_error.hpp"

#include <string>

#include <openssl/x509.h>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_digest.hpp"
#include "cardbridge/protocol/crypto_key.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/crypto_trust.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "test_pki.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using namespace cardbridge::crypto;
using namespace cardbridge::test;

namespace {

std::span<const std::uint8_t> bytes_of(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string hex(std::span<const std::uint8_t> bytes) {
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) out += std::string{kDigits[b >> 4], kDigits[b & 0xf]};
    return out;
}

Bytes unhex(std::string_view text) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2)
        out.push_back(
            static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    return out;
}

const std::time_t kNow = utc(2026, 1, 1);

CertificateSpec leaf_spec(std::time_t not_before = utc(2025, 1, 1),
                          std::time_t not_after = utc(2027, 1, 1)) {
    return {.subject = {{"CN", "leaf"}}, .not_before = not_before, .not_after = not_after};
}

TrustAnchors anchors(std::initializer_list<const Credential*> cas) {
    std::vector<X509Ptr> certificates;
    for (const auto* ca : cas)
        certificates.push_back(certificate_from_der(ca->der(), Reason::INTERNAL));
    return TrustAnchors(std::move(certificates));
}

}  // namespace

TEST_CASE("crypto: base64 encodes the RFC 4648 test vectors and decodes them back") {
    const std::pair<std::string_view, std::string_view> vectors[] = {{"", ""},
                                                                     {"f", "Zg=="},
                                                                     {"fo", "Zm8="},
                                                                     {"foo", "Zm9v"},
                                                                     {"foob", "Zm9vYg=="},
                                                                     {"fooba", "Zm9vYmE="},
                                                                     {"foobar", "Zm9vYmFy"}};
    for (auto [plain, encoded] : vectors) {
        CHECK(base64_encode(bytes_of(plain)) == encoded);
        const auto decoded = base64_decode(encoded);
        REQUIRE(decoded);
        CHECK(std::string(decoded->begin(), decoded->end()) == plain);
    }
    Bytes all(256);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
    CHECK(base64_encode(Bytes{0xfb, 0xff, 0xbf}) == "+/+/");
    CHECK(base64_decode(base64_encode(all)) == all);
}

TEST_CASE("crypto: base64 decoding refuses every non-canonical form") {
    using namespace std::string_view_literals;
    for (std::string_view text : {"Zg"sv, "Zg="sv, "Zm9vY"sv, "Zh=="sv, "Zm9="sv, "Zg==Zg=="sv,
                                  "Z==="sv, "===="sv, "=Zg="sv, " Zg=="sv, "Zg==\n"sv,
                                  "Zm9v\r\nYmFy"sv, "-_8="sv, "Zm9v\xc3\xa9="sv, "Zm\0v"sv})
        CHECK_MESSAGE(!base64_decode(text), text);
}

TEST_CASE("crypto: digests match their published test vectors") {
    const auto abc = bytes_of("abc");
    CHECK(hex(digest(DigestAlgorithm::SHA1, abc)) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(hex(digest(DigestAlgorithm::SHA256, abc)) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hex(digest(DigestAlgorithm::SHA384, abc)) ==
          "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
          "8086072ba1e7cc2358baeca134c825a7");
    // GM/T 0004-2012 appendix A.1.
    CHECK(hex(digest(DigestAlgorithm::SM3, abc)) ==
          "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    CHECK(digest_size(DigestAlgorithm::SHA1) == 20);
    CHECK(digest_size(DigestAlgorithm::SM3) == 32);
}

TEST_CASE("crypto: DigestInfo carries the RFC 8017 prefixes") {
    const Bytes d256 = digest(DigestAlgorithm::SHA256, bytes_of("abc"));
    CHECK(hex(digest_info(DigestAlgorithm::SHA256, d256)) ==
          "3031300d060960864801650304020105000420" + hex(d256));
    const Bytes d384 = digest(DigestAlgorithm::SHA384, bytes_of("abc"));
    CHECK(hex(digest_info(DigestAlgorithm::SHA384, d384)) ==
          "3041300d060960864801650304020205000430" + hex(d384));
    const Bytes d1 = digest(DigestAlgorithm::SHA1, bytes_of("abc"));
    CHECK(hex(digest_info(DigestAlgorithm::SHA1, d1)) ==
          "3021300906052b0e03021a05000414" + hex(d1));
    CHECK(error_of([&] { digest_info(DigestAlgorithm::SHA384, d256); }).reason() ==
          Reason::INVALID_PARAMS);
}

TEST_CASE("crypto: a raw signature over SM3(Z || M) verifies as an SM2 signature over M") {
    const auto key = generate_key(KeySpec::SM2);
    const auto message = bytes_of("message digest");
    CHECK(sm2_z(*key).size() == 32);
    const Bytes signature = sign_digest(*key, sm3_with_z(*key, message));
    CHECK(verify_signature(*key, DigestAlgorithm::SM3, message, signature));
    // OpenSSL computes Z itself here, so this also checks our Z against its own.
    const Bytes other_id = sign_digest(*key, sm3_with_z(*key, message, "ALICE123@YAHOO.COM"));
    CHECK_FALSE(verify_signature(*key, DigestAlgorithm::SM3, message, other_id));
    CHECK(verify_signature(*key, DigestAlgorithm::SM3, message, other_id, "ALICE123@YAHOO.COM"));
    CHECK(verify_signature(*key, DigestAlgorithm::SM3, message,
                           sign_message(*key, DigestAlgorithm::SM3, message)));
}

TEST_CASE("crypto: the SM2 Z value refuses keys that are not SM2 and oversized user IDs") {
    const auto p256 = generate_key(KeySpec::P256);
    CHECK(error_of([&] { sm2_z(*p256); }).reason() == Reason::UNSUPPORTED_ALGORITHM);
    const auto sm2 = generate_key(KeySpec::SM2);
    CHECK(error_of([&] { sm2_z(*sm2, std::string(8192, 'x')); }).reason() ==
          Reason::INVALID_PARAMS);
    CHECK(sm2_z(*sm2, std::string(8191, 'x')).size() == 32);
}

TEST_CASE("crypto: ECDSA signatures convert between DER and raw r||s and back unchanged") {
    struct Case {
        KeySpec key;
        DigestAlgorithm digest;
        std::size_t field;
    };
    for (auto [spec, hash, field] : {Case{KeySpec::P256, DigestAlgorithm::SHA256, 32},
                                     Case{KeySpec::P384, DigestAlgorithm::SHA384, 48},
                                     Case{KeySpec::SM2, DigestAlgorithm::SM3, 32}}) {
        const auto key = generate_key(spec);
        // Enough signatures that some r or s has its top bit set and some are shorter.
        for (int i = 0; i < 32; ++i) {
            const Bytes der = sign_message(*key, hash, bytes_of(std::to_string(i)));
            const Bytes raw = ecdsa_der_to_raw(der, field);
            CHECK(raw.size() == 2 * field);
            CHECK(ecdsa_raw_to_der(raw) == der);
            CHECK(verify_signature(*key, hash, bytes_of(std::to_string(i)), ecdsa_raw_to_der(raw)));
        }
    }
    CHECK(hex(ecdsa_raw_to_der(unhex("0080"))) == "300702010002020080");
}

TEST_CASE("crypto: ECDSA conversion refuses malformed signatures") {
    const auto key = generate_key(KeySpec::P256);
    const Bytes der = sign_message(*key, DigestAlgorithm::SHA256, bytes_of("x"));
    Bytes trailing = der;
    trailing.push_back(0);
    const Bytes long_length = unhex("308106020101020101");
    const Bytes wrong_length = unhex("300602010102020001");
    const Bytes padded_integer = unhex("300702010102020001");
    const Bytes negative_r = unhex("3006020181020101");
    for (const Bytes& bad :
         {Bytes{}, Bytes{0x30}, trailing, long_length, wrong_length, padded_integer, negative_r})
        CHECK(error_of([&] { ecdsa_der_to_raw(bad, 32); }).reason() == Reason::SIGNATURE_INVALID);
    CHECK(error_of([&] { ecdsa_der_to_raw(der, 16); }).reason() == Reason::SIGNATURE_INVALID);
    CHECK(error_of([&] { ecdsa_raw_to_der({}); }).reason() == Reason::SIGNATURE_INVALID);
    CHECK(error_of([&] { ecdsa_raw_to_der(Bytes(63)); }).reason() == Reason::SIGNATURE_INVALID);
}

TEST_CASE("crypto: signature verification accepts the right signature only") {
    for (auto spec : {KeySpec::RSA1024, KeySpec::P384}) {
        const auto key = generate_key(spec);
        Bytes signature = sign_message(*key, DigestAlgorithm::SHA384, bytes_of("hello"));
        CHECK(verify_signature(*key, DigestAlgorithm::SHA384, bytes_of("hello"), signature));
        CHECK_FALSE(verify_signature(*key, DigestAlgorithm::SHA384, bytes_of("hellO"), signature));
        CHECK_FALSE(verify_signature(*key, DigestAlgorithm::SHA256, bytes_of("hello"), signature));
        signature[signature.size() / 2] ^= 1;
        CHECK_FALSE(verify_signature(*key, DigestAlgorithm::SHA384, bytes_of("hello"), signature));
        CHECK_FALSE(verify_signature(*key, DigestAlgorithm::SHA384, bytes_of("hello"), {}));
    }
}

TEST_CASE("crypto: a signature over a digest computed elsewhere verifies against that digest") {
    struct Case {
        KeySpec key;
        DigestAlgorithm digest;
    };
    const auto message = bytes_of("<ds:SignedInfo>...</ds:SignedInfo>");
    for (auto [spec, hash] :
         {Case{KeySpec::RSA1024, DigestAlgorithm::SHA1},
          Case{KeySpec::RSA1024, DigestAlgorithm::SHA256},
          Case{KeySpec::P256, DigestAlgorithm::SHA256}, Case{KeySpec::SM2, DigestAlgorithm::SM3}}) {
        const auto key = generate_key(spec);
        CAPTURE(key_bits(*key));
        // What SpcSHA1Digest hands the page: for SM2 the value e = SM3(Z || M).
        const Bytes digest_value =
            spec == KeySpec::SM2 ? sm3_with_z(*key, message) : digest(hash, message);
        // Signed by OpenSSL over the message, and by the card's path over the digest.
        const Bytes over_message = sign_message(*key, hash, message);
        const Bytes over_digest = sign_digest(
            *key, spec == KeySpec::RSA1024 ? digest_info(hash, digest_value) : digest_value);
        CHECK(verify_digest_signature(*key, hash, digest_value, over_message));
        CHECK(verify_digest_signature(*key, hash, digest_value, over_digest));

        const Bytes other = spec == KeySpec::SM2 ? sm3_with_z(*key, bytes_of("other"))
                                                 : digest(hash, bytes_of("other"));
        CHECK_FALSE(verify_digest_signature(*key, hash, other, over_message));
        Bytes tampered = over_message;
        tampered[tampered.size() / 2] ^= 1;
        CHECK_FALSE(verify_digest_signature(*key, hash, digest_value, tampered));
        CHECK_FALSE(verify_digest_signature(*key, hash, digest_value, {}));
        CHECK(error_of([&] {
                  verify_digest_signature(*key, hash, Bytes(digest_value.size() + 1), over_message);
              }).reason() == Reason::INVALID_PARAMS);
    }
}

TEST_CASE("crypto: a digest verifies only as what it was signed as") {
    const auto message = bytes_of("hello");
    const auto sm2 = generate_key(KeySpec::SM2);
    // SM3(M) without Z is not what an SM2 signature over M signs.
    CHECK_FALSE(verify_digest_signature(*sm2, DigestAlgorithm::SM3,
                                        digest(DigestAlgorithm::SM3, message),
                                        sign_message(*sm2, DigestAlgorithm::SM3, message)));
    // An RSA signature names its hash in the DigestInfo, so the same bytes under another
    // algorithm of that size do not verify.
    const auto rsa = generate_key(KeySpec::RSA1024);
    const Bytes sha256 = digest(DigestAlgorithm::SHA256, message);
    const Bytes rsa_signature = sign_message(*rsa, DigestAlgorithm::SHA256, message);
    CHECK(verify_digest_signature(*rsa, DigestAlgorithm::SHA256, sha256, rsa_signature));
    CHECK_FALSE(verify_digest_signature(*rsa, DigestAlgorithm::SM3, sha256, rsa_signature));
    CHECK(error_of([&] {
              verify_digest_signature(*rsa, DigestAlgorithm::SHA1, sha256, rsa_signature);
          }).reason() == Reason::INVALID_PARAMS);
    const auto ed25519 = generate_key(KeySpec::ED25519);
    CHECK(error_of([&] {
              verify_digest_signature(*ed25519, DigestAlgorithm::SHA256, sha256, rsa_signature);
          }).reason() == Reason::UNSUPPORTED_ALGORITHM);
}

TEST_CASE("crypto: key kinds") {
    CHECK(key_kind(*generate_key(KeySpec::RSA1024)) == KeyKind::RSA);
    CHECK(key_kind(*generate_key(KeySpec::P256)) == KeyKind::EC_P256);
    CHECK(key_kind(*generate_key(KeySpec::P384)) == KeyKind::EC_P384);
    CHECK(key_kind(*generate_key(KeySpec::SM2)) == KeyKind::SM2);
    CHECK(key_kind(*generate_key(KeySpec::ED25519)) == KeyKind::OTHER);
    CHECK(key_bits(*generate_key(KeySpec::RSA1024)) == 1024);
}

TEST_CASE("crypto: certificates load from DER and PEM and report their fields") {
    const auto ca = make_ca(KeySpec::P256, "Test CA", utc(2020, 1, 1), utc(2040, 1, 1));
    const auto leaf = issue(ca, KeySpec::SM2,
                            {.subject = {{"C", "CN"}, {"OU", "某某进出口有限公司"}, {"CN", "张三"}},
                             .not_before = utc(2025, 3, 4),
                             .not_after = utc(2027, 5, 6),
                             .serial = 0x80ab01});
    const Bytes der = leaf.der();
    const auto loaded = certificate_from_der(der, Reason::CARD_ERROR);
    CHECK(certificate_der(*loaded) == der);
    CHECK(certificate_subject(*loaded) == "CN=张三,OU=某某进出口有限公司,C=CN");
    CHECK(certificate_serial_hex(*loaded) == "80ab01");
    CHECK(certificate_not_before(*loaded) == utc(2025, 3, 4));
    CHECK(certificate_not_after(*loaded) == utc(2027, 5, 6));
    CHECK(key_kind(certificate_public_key(*loaded)) == KeyKind::SM2);

    Bytes trailing = der;
    trailing.push_back(0);
    CHECK(error_of([&] { certificate_from_der(trailing, Reason::CARD_ERROR); }).reason() ==
          Reason::CARD_ERROR);
    CHECK(error_of([&] {
              certificate_from_der(Bytes(der.begin(), der.end() - 1), Reason::CARD_ERROR);
          }).reason() == Reason::CARD_ERROR);
    CHECK(error_of([&] { certificate_from_der({}, Reason::TOKEN_MALFORMED); }).reason() ==
          Reason::TOKEN_MALFORMED);

    const std::string pem = "-----BEGIN CERTIFICATE-----\n" + base64_encode(ca.der()) +
                            "\n-----END CERTIFICATE-----\nsome comment\n" +
                            "-----BEGIN CERTIFICATE-----\n" + base64_encode(der) +
                            "\n-----END CERTIFICATE-----\n";
    const auto both = certificates_from_pem(pem, Reason::INVALID_PARAMS);
    REQUIRE(both.size() == 2);
    CHECK(certificate_der(*both[1]) == der);
    CHECK(error_of([&] { certificates_from_pem("", Reason::INVALID_PARAMS); }).reason() ==
          Reason::INVALID_PARAMS);
    CHECK(error_of([&] {
              certificates_from_pem(
                  "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                  Reason::INVALID_PARAMS);
          }).reason() == Reason::INVALID_PARAMS);
}

TEST_CASE("crypto: keyUsage without digitalSignature is reported and no keyUsage allows it") {
    const auto ca = make_ca(KeySpec::P256, "Test CA", utc(2020, 1, 1), utc(2040, 1, 1));
    auto spec = leaf_spec();
    CHECK(certificate_allows_digital_signature(*issue(ca, KeySpec::P256, spec).certificate));
    spec.key_usage = "critical,digitalSignature,nonRepudiation";
    CHECK(certificate_allows_digital_signature(*issue(ca, KeySpec::P256, spec).certificate));
    spec.key_usage = "critical,nonRepudiation,keyEncipherment";
    CHECK_FALSE(certificate_allows_digital_signature(*issue(ca, KeySpec::P256, spec).certificate));
}

TEST_CASE("crypto: OpenSSL 3.0 needs the user ID attached to verify an SM2-signed certificate") {
    const auto ca = make_ca(KeySpec::SM2, "SM2 CA", utc(2020, 1, 1), utc(2040, 1, 1));
    const auto leaf = issue(ca, KeySpec::SM2, leaf_spec());
    auto plain = certificate_from_der(leaf.der(), Reason::INTERNAL);
    CHECK(X509_verify(plain.get(), ca.key.get()) != 1);
    discard_openssl_errors();
    use_sm2_default_user_id(*plain);
    CHECK(X509_verify(plain.get(), ca.key.get()) == 1);
}

TEST_CASE("crypto: trust anchors validate chains at the given time") {
    for (auto spec : {KeySpec::RSA2048, KeySpec::P256, KeySpec::SM2}) {
        CAPTURE(static_cast<int>(spec));
        const auto root = make_ca(spec, "Root", utc(2020, 1, 1), utc(2040, 1, 1));
        auto intermediate_spec = leaf_spec(utc(2020, 1, 1), utc(2040, 1, 1));
        intermediate_spec.subject = {{"O", "cardbridge test"}, {"CN", "Issuing CA"}};
        intermediate_spec.ca = true;
        const auto intermediate = issue(root, spec, intermediate_spec);
        const auto leaf = issue(intermediate, spec, leaf_spec());
        const auto expired = issue(intermediate, spec, leaf_spec(utc(2023, 1, 1), utc(2024, 1, 1)));
        const auto other = make_ca(spec, "Other", utc(2020, 1, 1), utc(2040, 1, 1));
        const auto impostor = make_ca(spec, "Issuing CA", utc(2020, 1, 1), utc(2040, 1, 1));

        // The issuing CA alone is enough, and so is it together with its root.
        CHECK_NOTHROW(anchors({&intermediate}).verify(*leaf.certificate, kNow));
        CHECK_NOTHROW(anchors({&root, &intermediate}).verify(*leaf.certificate, kNow));
        CHECK(error_of([&] { anchors({&root}).verify(*leaf.certificate, kNow); }).reason() ==
              Reason::CERT_UNTRUSTED);
        CHECK(error_of([&] { anchors({&other}).verify(*leaf.certificate, kNow); }).reason() ==
              Reason::CERT_UNTRUSTED);
        CHECK(error_of([&] { anchors({}).verify(*leaf.certificate, kNow); }).reason() ==
              Reason::CERT_UNTRUSTED);
        const auto forged = issue(impostor, spec, leaf_spec());
        CHECK(error_of([&] {
                  anchors({&intermediate}).verify(*forged.certificate, kNow);
              }).reason() == Reason::CERT_UNTRUSTED);
        CHECK(error_of([&] {
                  anchors({&intermediate}).verify(*expired.certificate, kNow);
              }).reason() == Reason::CERT_EXPIRED);
        CHECK(error_of([&] {
                  anchors({&intermediate}).verify(*leaf.certificate, utc(2024, 12, 31));
              }).reason() == Reason::CERT_EXPIRED);
        CHECK(error_of([&] {
                  anchors({&root, &intermediate}).verify(*leaf.certificate, utc(2041, 1, 1));
              }).reason() == Reason::CERT_EXPIRED);
    }
}

TEST_CASE("crypto: a trusted certificate that is not a CA cannot issue") {
    const auto ca = make_ca(KeySpec::P256, "CA", utc(2020, 1, 1), utc(2040, 1, 1));
    const auto not_ca = issue(ca, KeySpec::P256, leaf_spec());
    const auto leaf = issue(not_ca, KeySpec::P256, leaf_spec());
    const Error e = error_of([&] { anchors({&ca, &not_ca}).verify(*leaf.certificate, kNow); });
    CHECK(e.reason() == Reason::CERT_UNTRUSTED);
    CHECK(std::string(e.what()).find("CA") != std::string::npos);
}
