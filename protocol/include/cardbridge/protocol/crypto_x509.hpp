#pragma once
// X.509 certificates in memory: loading them from DER or PEM and reading the fields that
// callers report (subject, serial, validity). Parsing never touches a file; callers that read
// certificates from disk or from a card pass the bytes in.

#include <cstdint>
#include <ctime>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cardbridge/protocol/crypto.hpp"

namespace cardbridge::crypto {

/// Exactly one DER certificate and nothing after it. Throws Error(reason_if_invalid) otherwise;
/// the caller names the reason because the same bytes are a malformed token in one place and a
/// faulty card in another.
X509Ptr certificate_from_der(std::span<const std::uint8_t> der, Reason reason_if_invalid);

/// Every "CERTIFICATE" block of a PEM text, in order (text between blocks is ignored, as PEM
/// allows). Throws Error(reason_if_invalid) for a damaged block or a text without any.
std::vector<X509Ptr> certificates_from_pem(std::string_view pem, Reason reason_if_invalid);

Bytes certificate_der(const X509& certificate);

/// The subject as an RFC 2253 string with non-ASCII characters kept as UTF-8, e.g.
/// "CN=张三,OU=某某公司,C=CN".
std::string certificate_subject(const X509& certificate);

/// The serial number in lower-case hex without a prefix, two digits per byte ("-" first for
/// the negative serials some old CAs issued).
std::string certificate_serial_hex(const X509& certificate);

std::time_t certificate_not_before(const X509& certificate);
std::time_t certificate_not_after(const X509& certificate);

/// The certificate's public key, owned by the certificate. Throws
/// Error(UNSUPPORTED_ALGORITHM) when OpenSSL cannot decode it.
EVP_PKEY& certificate_public_key(const X509& certificate);

/// False when the certificate has a keyUsage extension without digitalSignature (a key meant
/// only for encryption or non-repudiation); true when it has none, as RFC 5280 allows.
bool certificate_allows_digital_signature(X509& certificate);

/// OpenSSL 3.0 verifies an SM2-with-SM3 certificate signature with an empty user ID unless the
/// certificate carries one, while CAs sign with the GM/T 0009 default; this attaches the
/// default to `certificate` when its signature algorithm is SM2-with-SM3 (a no-op otherwise).
void use_sm2_default_user_id(X509& certificate);

}  // namespace cardbridge::crypto
