#pragma once
// Certificate strings as UTF-8 a user can read. Chinese CAs encode names every which way:
// UTF8String on current cards, BMPString on legacy ones, and GBK bytes inside IA5String in the
// private extensions of legacy E-Port cards, which no ASN.1 library decodes as intended.

#include <optional>
#include <span>
#include <string>

#include <openssl/x509.h>

namespace cardbridge::protocol {

/// The string of universal ASN.1 type `type` (V_ASN1_UTF8STRING, V_ASN1_BMPSTRING, …) with
/// content `bytes`, as UTF-8. ASCII-only types holding bytes above 7F are read as GBK
/// (GB18030). Nothing for other types and for bytes that are not valid in the encoding.
std::optional<std::string> asn1_text(int type, std::span<const unsigned char> bytes);

/// The value of the first `nid` attribute (NID_commonName, …) of `name`, if it decodes.
std::optional<std::string> name_attribute(const X509_NAME& name, int nid);

/// "C=CN, OU=测试进出口贸易有限公司, CN=张测试": attributes in certificate order, short names,
/// values decoded as asn1_text does (undecodable ones as # and hex).
std::string name_line(const X509_NAME& name);

}  // namespace cardbridge::protocol
