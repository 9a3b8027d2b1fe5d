// Signatures with a PKCS#11 key. The daemon has hashed and built the DigestInfo
// (tokens/signing.cpp); the module pads for RSA (CKM_RSA_PKCS) and returns ECDSA signatures
// as raw r ‖ s already (CKM_ECDSA, PKCS#11 v2.40 §2.3.1), so only sizes are checked here.
#include "cardbridge/protocol/hex.hpp"
#include "tokens/pkcs11/pkcs11_error.hpp"
#include "tokens/pkcs11/pkcs11_objects.hpp"
#include "tokens/pkcs11/pkcs11_snapshot.hpp"
#include "tokens/pkcs11/pkcs11_token.hpp"

namespace cardbridge::daemon::tokens {
namespace {

using protocol::Bytes;
using protocol::ByteView;

// The mechanism, the key type the token must hold, and the size the signature has: modulus
// bytes for RSA, twice the field size for ECDSA.
struct KeyShape {
    CK_MECHANISM_TYPE mechanism;
    CK_KEY_TYPE key_type;
    std::size_t signature_bytes;
};

KeyShape key_shape(const CertificateInfo& certificate) {
    switch (certificate.key_algorithm) {
        case KeyAlgorithm::RSA_1024:
            return {CKM_RSA_PKCS, CKK_RSA, 128};
        case KeyAlgorithm::RSA_2048:
            return {CKM_RSA_PKCS, CKK_RSA, 256};
        case KeyAlgorithm::RSA_3072:
            return {CKM_RSA_PKCS, CKK_RSA, 384};
        case KeyAlgorithm::RSA_4096:
            return {CKM_RSA_PKCS, CKK_RSA, 512};
        case KeyAlgorithm::EC_P256:
            return {CKM_ECDSA, CKK_EC, 64};
        case KeyAlgorithm::EC_P384:
            return {CKM_ECDSA, CKK_EC, 96};
        case KeyAlgorithm::SM2:
            throw Error(Reason::UNSUPPORTED_ALGORITHM,
                        "PKCS#11 has no standard SM2 mechanism: the key '" + certificate.key +
                            "' signs through the token's SKF library instead");
        case KeyAlgorithm::OTHER:
            break;
    }
    throw Error(Reason::UNSUPPORTED_ALGORITHM,
                "the key '" + certificate.key + "' is of a kind cardbridge does not sign with");
}

CK_UTF8CHAR_PTR pin_pointer(std::span<const unsigned char> bytes) {
    return const_cast<CK_UTF8CHAR_PTR>(bytes.data());  // PKCS#11 only reads it
}

struct PrivateKey {
    CK_OBJECT_HANDLE handle;
    bool pin_every_time;  // CKA_ALWAYS_AUTHENTICATE
};

// The private key with the certificate's CKA_ID, looked up now because most tokens show it
// only after login.
PrivateKey private_key(const pkcs11::Session& session, const CertificateInfo& certificate,
                       const KeyShape& shape) {
    const auto id = protocol::from_hex(certificate.key);
    if (!id || id->empty())
        throw Error(Reason::UNSUPPORTED_TOKEN,
                    "the certificate '" + certificate.key + "' has no CKA_ID to find its key by");
    const auto key = pkcs11::find_private_key(session, *id);
    if (!key) {
        if (!pkcs11::logged_in(session))
            throw Error(
                Reason::NOT_PERMITTED,
                "the token wants the PIN before it signs with the key '" + certificate.key + "'");
        throw Error(Reason::CARD_ERROR, "the token has no private key '" + certificate.key + "'");
    }
    if (pkcs11::attribute_ulong(session, *key, CKA_KEY_TYPE) != shape.key_type)
        throw Error(Reason::CARD_ERROR,
                    "the token's key '" + certificate.key + "' is not the certificate's kind");
    return {*key, pkcs11::attribute_bool(session, *key, CKA_ALWAYS_AUTHENTICATE).value_or(false)};
}

// The module's answer in the form Token::sign_value promises.
Bytes finished(Bytes signature, const KeyShape& shape) {
    if (shape.mechanism == CKM_ECDSA) {
        if (signature.size() != shape.signature_bytes)
            throw Error(Reason::CARD_ERROR, "the token's ECDSA signature has " +
                                                std::to_string(signature.size()) + " bytes, not " +
                                                std::to_string(shape.signature_bytes));
        return signature;
    }
    if (signature.size() > shape.signature_bytes)
        throw Error(Reason::CARD_ERROR, "the token's RSA signature is longer than the modulus");
    signature.insert(signature.begin(), shape.signature_bytes - signature.size(), 0x00);
    return signature;
}

}  // namespace

Bytes Pkcs11Token::sign_value(const CertificateInfo& certificate, ByteView value,
                              const SecurePin* pin) {
    try {
        const KeyShape shape = key_shape(certificate);
        if (pin) login(*pin);
        const pkcs11::Session& current = session();
        const PrivateKey key = private_key(current, certificate, shape);
        if (key.pin_every_time && !pin)
            throw Error(Reason::NOT_PERMITTED,
                        "the token wants the PIN right before every signature with the key '" +
                            certificate.key + "'");

        Bytes input(value.begin(), value.end());  // EC digests come fitted to the field (signing.cpp)
        CK_MECHANISM mechanism{shape.mechanism, nullptr, 0};
        pkcs11::check("C_SignInit",
                      current.call([&](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) {
                          return f.C_SignInit(h, &mechanism, key.handle);
                      }));
        Bytes signature(1024);  // more than any key above signs with
        CK_ULONG size = signature.size();
        try {
            if (key.pin_every_time) {
                const CK_RV rv = pin->with_bytes([&](std::span<const unsigned char> bytes) {
                    return current.call([&](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) {
                        return f.C_Login(h, CKU_CONTEXT_SPECIFIC, pin_pointer(bytes), bytes.size());
                    });
                });
                if (rv != CKR_OK) throw_pin_error("C_Login", rv);
            }
            pkcs11::check(
                "C_Sign", current.call([&](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) {
                    return f.C_Sign(h, input.data(), input.size(), signature.data(), &size);
                }));
        } catch (const Error&) {
            // The signature operation may still be active, and PKCS#11 v2.40 has no way to
            // cancel it but closing the session (which may log the token out).
            session_.reset();
            throw;
        }
        signature.resize(std::min<std::size_t>(size, signature.size()));
        return finished(std::move(signature), shape);
    } catch (const Error& e) {
        after_failure(e);
        throw;
    }
}

}  // namespace cardbridge::daemon::tokens
