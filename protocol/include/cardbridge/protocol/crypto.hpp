#pragma once
// Owners for the OpenSSL handles cardbridge uses, and the one place where an OpenSSL failure
// becomes a cardbridge::Error. Protocol code, the daemon's signing paths and the tests all hold
// OpenSSL objects only through these types, so every handle is freed exactly once.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::crypto {

using Bytes = std::vector<std::uint8_t>;

/// Calls the OpenSSL free function `Free`; OpenSSL's frees accept null and never throw.
template <auto Free>
struct FreeWith {
    template <typename T>
    void operator()(T* handle) const noexcept {
        Free(handle);
    }
};

/// A move-only owner of one OpenSSL object, released with `Free`.
template <typename T, auto Free>
using Owned = std::unique_ptr<T, FreeWith<Free>>;

using PkeyPtr = Owned<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtxPtr = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtxPtr = Owned<EVP_MD_CTX, EVP_MD_CTX_free>;
using X509Ptr = Owned<X509, X509_free>;
using X509StorePtr = Owned<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = Owned<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509ExtensionPtr = Owned<X509_EXTENSION, X509_EXTENSION_free>;
using X509SigPtr = Owned<X509_SIG, X509_SIG_free>;
using BioPtr = Owned<BIO, BIO_free_all>;
using BignumPtr = Owned<BIGNUM, BN_free>;
using EcGroupPtr = Owned<EC_GROUP, EC_GROUP_free>;
using EcdsaSigPtr = Owned<ECDSA_SIG, ECDSA_SIG_free>;
using OctetStringPtr = Owned<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;

/// Throws Error(reason, "<what>: <OpenSSL's queued errors>") and empties the thread's OpenSSL
/// error queue, so that a stale entry never leaks into the report of a later failure.
[[noreturn]] void throw_openssl_error(Reason reason, std::string_view what);

/// Empties the thread's OpenSSL error queue after a failure that is an expected answer (a
/// signature that does not verify, input that does not parse), not an error to report.
void discard_openssl_errors() noexcept;

/// Returns `handle`, or throws Error(INTERNAL, what) when an OpenSSL constructor returned null.
template <typename Ptr>
Ptr require(Ptr handle, std::string_view what) {
    if (!handle) throw_openssl_error(Reason::INTERNAL, what);
    return handle;
}

}  // namespace cardbridge::crypto
