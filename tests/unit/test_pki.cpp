#include "test_pki.hpp"

#include <chrono>

#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "cardbridge/protocol/crypto_key.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"

namespace cardbridge::test {
namespace {

using crypto::require;

void check(int result, const char* what) {
    if (result <= 0) crypto::throw_openssl_error(Reason::INTERNAL, what);
}

crypto::DigestAlgorithm signing_digest(const EVP_PKEY& key) {
    switch (crypto::key_kind(key)) {
        case crypto::KeyKind::SM2:
            return crypto::DigestAlgorithm::SM3;
        case crypto::KeyKind::EC_P384:
            return crypto::DigestAlgorithm::SHA384;
        default:
            return crypto::DigestAlgorithm::SHA256;
    }
}

// SM2 needs the user ID set on the signing context, which X509_sign cannot do.
crypto::MdCtxPtr digest_sign_context(EVP_PKEY& key, crypto::DigestAlgorithm digest) {
    auto context = require(crypto::MdCtxPtr(EVP_MD_CTX_new()), "EVP_MD_CTX_new");
    EVP_PKEY_CTX* key_context = nullptr;
    check(EVP_DigestSignInit(context.get(), &key_context, crypto::evp_md(digest), nullptr, &key),
          "EVP_DigestSignInit");
    if (crypto::key_kind(key) == crypto::KeyKind::SM2)
        check(EVP_PKEY_CTX_set1_id(key_context, crypto::kSm2DefaultUserId.data(),
                                   crypto::kSm2DefaultUserId.size()),
              "EVP_PKEY_CTX_set1_id");
    return context;
}

void add_extension(X509& certificate, X509& issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx(&context, &issuer, &certificate, nullptr, nullptr, 0);
    auto extension = require(
        crypto::X509ExtensionPtr(X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str())),
        "X509V3_EXT_nconf_nid");
    check(X509_add_ext(&certificate, extension.get(), -1), "X509_add_ext");
}

void set_time(ASN1_TIME* field, std::time_t time) {
    if (!ASN1_TIME_set(field, time)) crypto::throw_openssl_error(Reason::INTERNAL, "ASN1_TIME_set");
}

// Builds and signs a certificate for `key`; `issuer` null means self-signed.
crypto::X509Ptr make_certificate(EVP_PKEY& key, const CertificateSpec& spec,
                                 const Credential* issuer) {
    auto certificate = require(crypto::X509Ptr(X509_new()), "X509_new");
    X509* x = certificate.get();
    check(X509_set_version(x, X509_VERSION_3), "X509_set_version");
    check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), spec.serial), "serial");
    set_time(X509_getm_notBefore(x), spec.not_before);
    set_time(X509_getm_notAfter(x), spec.not_after);
    for (const auto& [field, value] : spec.subject)
        check(X509_NAME_add_entry_by_txt(X509_get_subject_name(x), field.c_str(), MBSTRING_UTF8,
                                         reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                         -1, 0),
              "X509_NAME_add_entry_by_txt");
    X509* issuer_certificate = issuer ? issuer->certificate.get() : x;
    check(X509_set_issuer_name(x, X509_get_subject_name(issuer_certificate)), "issuer name");
    check(X509_set_pubkey(x, &key), "X509_set_pubkey");

    add_extension(*x, *issuer_certificate, NID_basic_constraints,
                  spec.ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add_extension(*x, *issuer_certificate, NID_subject_key_identifier, "hash");
    if (issuer) add_extension(*x, *issuer_certificate, NID_authority_key_identifier, "keyid");
    if (!spec.key_usage.empty())
        add_extension(*x, *issuer_certificate, NID_key_usage, spec.key_usage);

    EVP_PKEY& signer = issuer ? *issuer->key : key;
    auto context = digest_sign_context(signer, signing_digest(signer));
    check(X509_sign_ctx(x, context.get()), "X509_sign_ctx");
    return certificate;
}

EVP_PKEY* new_key(KeySpec spec) {
    switch (spec) {
        case KeySpec::RSA512:
            return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{512});
        case KeySpec::RSA1024:
            return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024});
        case KeySpec::RSA2048:
            return EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
        case KeySpec::P256:
            return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        case KeySpec::P384:
            return EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
        case KeySpec::SM2:
            return EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2");
        case KeySpec::ED25519:
            return EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    }
    return nullptr;
}

}  // namespace

crypto::PkeyPtr generate_key(KeySpec spec) {
    return require(crypto::PkeyPtr(new_key(spec)), "key generation");
}

crypto::Bytes Credential::der() const {
    return crypto::certificate_der(*certificate);
}

Credential make_ca(KeySpec spec, const std::string& name, std::time_t not_before,
                   std::time_t not_after) {
    auto key = generate_key(spec);
    auto certificate = make_certificate(*key,
                                        {.subject = {{"O", "cardbridge test"}, {"CN", name}},
                                         .not_before = not_before,
                                         .not_after = not_after,
                                         .ca = true,
                                         .key_usage = "critical,keyCertSign,cRLSign"},
                                        nullptr);
    return {std::move(key), std::move(certificate)};
}

Credential issue(const Credential& issuer, KeySpec spec, const CertificateSpec& certificate) {
    auto key = generate_key(spec);
    auto issued = make_certificate(*key, certificate, &issuer);
    return {std::move(key), std::move(issued)};
}

crypto::Bytes sign_digest(EVP_PKEY& key, std::span<const std::uint8_t> digest) {
    auto context =
        require(crypto::PkeyCtxPtr(EVP_PKEY_CTX_new_from_pkey(nullptr, &key, nullptr)), "ctx");
    check(EVP_PKEY_sign_init(context.get()), "EVP_PKEY_sign_init");
    if (crypto::key_kind(key) == crypto::KeyKind::RSA)
        check(EVP_PKEY_CTX_set_rsa_padding(context.get(), RSA_PKCS1_PADDING), "padding");
    std::size_t size = 0;
    check(EVP_PKEY_sign(context.get(), nullptr, &size, digest.data(), digest.size()), "size");
    crypto::Bytes signature(size);
    check(EVP_PKEY_sign(context.get(), signature.data(), &size, digest.data(), digest.size()),
          "EVP_PKEY_sign");
    signature.resize(size);
    return signature;
}

crypto::Bytes sign_message(EVP_PKEY& key, crypto::DigestAlgorithm digest,
                           std::span<const std::uint8_t> message) {
    auto context = digest_sign_context(key, digest);
    std::size_t size = 0;
    check(EVP_DigestSign(context.get(), nullptr, &size, message.data(), message.size()), "size");
    crypto::Bytes signature(size);
    check(EVP_DigestSign(context.get(), signature.data(), &size, message.data(), message.size()),
          "EVP_DigestSign");
    signature.resize(size);
    return signature;
}

std::time_t utc(int year, unsigned month, unsigned day) {
    const std::chrono::sys_days date =
        std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day};
    return static_cast<std::time_t>(
        std::chrono::duration_cast<std::chrono::seconds>(date.time_since_epoch()).count());
}

}  // namespace cardbridge::test
