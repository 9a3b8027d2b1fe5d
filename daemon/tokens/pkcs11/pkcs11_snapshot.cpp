#include "tokens/pkcs11/pkcs11_snapshot.hpp"

#include <openssl/x509v3.h>

#include <cstdint>

#include "log.hpp"
#include "tokens/pkcs11/pkcs11_objects.hpp"
#include "tokens/pkcs11/pkcs11_token.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {
namespace {

std::string lower_hex(protocol::ByteView bytes) {
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const std::uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0f];
    }
    return out;
}

// A key that may sign (digitalSignature or nonRepudiation, or no keyUsage at all, RFC 5280
// §4.2.1.3) is a signing key; a key only for encryption is an envelope key.
KeyUsage usage_of(X509& certificate) {
    const std::uint32_t usage = X509_get_key_usage(&certificate);
    if (usage == UINT32_MAX) return KeyUsage::SIGN;
    return (usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) != 0 ? KeyUsage::SIGN
                                                                      : KeyUsage::ENVELOPE;
}

// CKA_ALWAYS_AUTHENTICATE of the certificate's private key, when the key is visible before
// login (most tokens hide private keys until then; signing reads it again after login).
bool pin_every_time(const Session& session, protocol::ByteView id) {
    if (id.empty()) return false;
    const auto key = find_private_key(session, id);
    if (!key) return false;
    return attribute_bool(session, *key, CKA_ALWAYS_AUTHENTICATE).value_or(false);
}

std::vector<CK_OBJECT_HANDLE> certificate_objects(const Session& session) {
    CK_OBJECT_CLASS object_class = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE certificate_type = CKC_X_509;
    CK_ATTRIBUTE match[] = {{CKA_CLASS, &object_class, sizeof object_class},
                            {CKA_CERTIFICATE_TYPE, &certificate_type, sizeof certificate_type}};
    return find_objects(session, match, Pkcs11Token::kMaxCertificates);
}

}  // namespace

std::optional<CK_OBJECT_HANDLE> find_private_key(const Session& session, protocol::ByteView id) {
    CK_OBJECT_CLASS object_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE match[] = {
        {CKA_CLASS, &object_class, sizeof object_class},
        {CKA_ID, const_cast<std::uint8_t*>(id.data()), static_cast<CK_ULONG>(id.size())}};
    const auto keys = find_objects(session, match, 1);
    if (keys.empty()) return std::nullopt;
    return keys.front();
}

TokenSnapshot read_snapshot(const Session& session, const CK_TOKEN_INFO& info) {
    TokenSnapshot snapshot;
    snapshot.type = "pkcs11";
    snapshot.id = token_id(info);
    snapshot.card_id = fixed_text(info.serialNumber);
    std::size_t number = 0;
    for (const CK_OBJECT_HANDLE object : certificate_objects(session)) {
        ++number;
        const auto der =
            attribute_bytes(session, object, CKA_VALUE, Pkcs11Token::kMaxCertificateBytes);
        if (!der || der->empty()) {
            log(LogLevel::info, snapshot.id + ": certificate " + std::to_string(number) +
                                    " skipped: no value, or over 16 KiB");
            continue;
        }
        // Empty when the certificate has no CKA_ID (or an empty one): no key can be found by it.
        const protocol::Bytes id =
            attribute_bytes(session, object, CKA_ID, kMaxIdBytes).value_or(protocol::Bytes{});
        std::string key = id.empty() ? "cert-" + std::to_string(number) : lower_hex(id);
        if (find_certificate(snapshot, key)) {
            // Only the first can be told apart by the name of its key.
            log(LogLevel::info, snapshot.id + ": a second certificate for key " + key + " skipped");
            continue;
        }
        const bool every_time = pin_every_time(session, id);
        try {
            // A certificate that does not parse is skipped; the token's other keys still work.
            CertificateInfo certificate =
                certificate_info(std::move(key), KeyUsage::SIGN, every_time, *der);
            certificate.usage = usage_of(*certificate.certificate);
            snapshot.certificates.push_back(std::move(certificate));
        } catch (const Error& e) {
            if (e.reason() != Reason::CARD_ERROR) throw;
            log(LogLevel::info,
                snapshot.id + ": certificate " + std::to_string(number) + " skipped: " + e.what());
        }
    }
    fill_identity(snapshot, fixed_text(info.label));
    return snapshot;
}

}  // namespace cardbridge::daemon::tokens::pkcs11
