#include "cli_certificate.hpp"

#include <fstream>
#include <iterator>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "device_record.hpp"
#include "store_error.hpp"

namespace cardbridge::softskf::cli {
namespace {

// A PEM certificate of kMaxCertificateBytes is a third larger, plus its header lines.
constexpr std::size_t kMaxCertificateFileBytes = 2 * kMaxCertificateBytes;

}  // namespace

std::string read_file(const std::filesystem::path& file, std::size_t max_bytes) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw StoreError(file.string() + ": cannot open");
    std::string text;
    text.resize(max_bytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) throw StoreError(file.string() + ": cannot read");
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
        throw StoreError(file.string() + ": larger than " + std::to_string(max_bytes) + " bytes");
    return text;
}

Certificate parse_certificate(const Bytes& der, std::string_view source) {
    if (der.empty() || der.size() > kMaxCertificateBytes)
        throw StoreError(std::string(source) + ": a certificate of 1.." +
                         std::to_string(kMaxCertificateBytes) + " bytes is expected");
    const unsigned char* cursor = der.data();
    X509Ptr x509(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (!x509 || cursor != der.data() + der.size()) {
        ERR_clear_error();
        throw StoreError(std::string(source) + ": not a DER X.509 certificate");
    }
    return {der, std::move(x509)};
}

Certificate load_certificate(const std::filesystem::path& file) {
    const std::string text = read_file(file, kMaxCertificateFileBytes);
    if (text.find("-----BEGIN") == std::string::npos)
        return parse_certificate(Bytes(text.begin(), text.end()), file.string());
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    X509Ptr x509(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!x509) {
        ERR_clear_error();
        throw StoreError(file.string() + ": not a PEM X.509 certificate");
    }
    unsigned char* der = nullptr;
    const int size = i2d_X509(x509.get(), &der);
    if (size <= 0) throw StoreError(file.string() + ": cannot encode the certificate as DER");
    Bytes bytes(der, der + size);
    OPENSSL_free(der);
    return parse_certificate(bytes, file.string());
}

std::string certificate_subject(const X509& certificate) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(&certificate), 0,
                                   XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
        return {};
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

bool key_matches_certificate(const EVP_PKEY& key, const X509& certificate) {
    const EVP_PKEY* public_key = X509_get0_pubkey(&certificate);
    const bool same = public_key != nullptr && EVP_PKEY_eq(&key, public_key) == 1;
    ERR_clear_error();
    return same;
}

}  // namespace cardbridge::softskf::cli
