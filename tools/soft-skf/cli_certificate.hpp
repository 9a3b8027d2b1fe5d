#pragma once
// Certificates and key files as the CLI reads them from disk to import them, and describes
// them in `show`.

#include <filesystem>
#include <string>
#include <string_view>

#include "openssl_types.hpp"

namespace cardbridge::softskf::cli {

/// The file's contents, refused (StoreError naming it) when larger than `max_bytes`.
std::string read_file(const std::filesystem::path& file, std::size_t max_bytes);

struct Certificate {
    Bytes der;
    X509Ptr x509;
};

/// A DER or PEM certificate file. Throws StoreError naming the file.
Certificate load_certificate(const std::filesystem::path& file);
/// Throws StoreError naming `source`.
Certificate parse_certificate(const Bytes& der, std::string_view source);

/// The subject as RFC 2253 text in UTF-8 (the test PKI's names are Chinese).
std::string certificate_subject(const X509& certificate);

/// Whether `key` is the private half of the certificate's public key.
bool key_matches_certificate(const EVP_PKEY& key, const X509& certificate);

}  // namespace cardbridge::softskf::cli
