#include <chrono>

#include "cardbridge/protocol/crypto_x509.hpp"

namespace cardbridge::crypto {
namespace {

std::time_t to_time_t(const ASN1_TIME* time) {
    std::tm fields{};
    if (!time || ASN1_TIME_to_tm(time, &fields) != 1)
        throw_openssl_error(Reason::INTERNAL, "unreadable certificate validity time");
    using namespace std::chrono;
    const sys_days day = year{fields.tm_year + 1900} / (fields.tm_mon + 1) / fields.tm_mday;
    const auto moment =
        day + hours{fields.tm_hour} + minutes{fields.tm_min} + seconds{fields.tm_sec};
    return static_cast<std::time_t>(moment.time_since_epoch().count());
}

}  // namespace

std::string certificate_subject(const X509& certificate) {
    auto bio = require(BioPtr(BIO_new(BIO_s_mem())), "BIO_new");
    // RFC 2253 escapes bytes above 0x7f by default; clearing ESC_MSB keeps them as UTF-8.
    const unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
    if (X509_NAME_print_ex(bio.get(), X509_get_subject_name(&certificate), 0, flags) < 0)
        throw_openssl_error(Reason::INTERNAL, "printing the certificate subject failed");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string certificate_serial_hex(const X509& certificate) {
    const ASN1_INTEGER* serial = X509_get0_serialNumber(&certificate);
    constexpr char kDigits[] = "0123456789abcdef";
    std::string hex = ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? "-" : "";
    const unsigned char* bytes = ASN1_STRING_get0_data(serial);
    const int size = ASN1_STRING_length(serial);
    for (int i = 0; i < size; ++i) {
        hex += kDigits[bytes[i] >> 4];
        hex += kDigits[bytes[i] & 0x0f];
    }
    return size == 0 ? hex + "00" : hex;
}

std::time_t certificate_not_before(const X509& certificate) {
    return to_time_t(X509_get0_notBefore(&certificate));
}

std::time_t certificate_not_after(const X509& certificate) {
    return to_time_t(X509_get0_notAfter(&certificate));
}

}  // namespace cardbridge::crypto
