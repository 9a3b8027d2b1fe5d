#include "cardbridge/protocol/crypto_trust.hpp"

#include <string>

#include "cardbridge/protocol/crypto_x509.hpp"

namespace cardbridge::crypto {

TrustAnchors::TrustAnchors(std::vector<X509Ptr> certificates)
    : store_(require(X509StorePtr(X509_STORE_new()), "X509_STORE_new")) {
    for (const auto& certificate : certificates)
        if (X509_STORE_add_cert(store_.get(), certificate.get()) != 1)
            throw_openssl_error(Reason::INVALID_PARAMS, "cannot add a trusted CA certificate");
    if (X509_STORE_set_flags(store_.get(), X509_V_FLAG_PARTIAL_CHAIN) != 1)
        throw_openssl_error(Reason::INTERNAL, "X509_STORE_set_flags");
}

void TrustAnchors::verify(X509& leaf, std::time_t now) const {
    use_sm2_default_user_id(leaf);
    auto context = require(X509StoreCtxPtr(X509_STORE_CTX_new()), "X509_STORE_CTX_new");
    if (X509_STORE_CTX_init(context.get(), store_.get(), &leaf, nullptr) != 1)
        throw_openssl_error(Reason::INTERNAL, "X509_STORE_CTX_init");
    // Also sets X509_V_FLAG_USE_CHECK_TIME, so the system clock is never consulted.
    X509_STORE_CTX_set_time(context.get(), 0, now);
    const int verdict = X509_verify_cert(context.get());
    const int error = X509_STORE_CTX_get_error(context.get());
    discard_openssl_errors();
    if (verdict == 1) return;
    if (error == X509_V_OK) throw Error(Reason::INTERNAL, "certificate verification failed to run");
    const std::string detail = std::string(X509_verify_cert_error_string(error)) +
                               " (chain depth " +
                               std::to_string(X509_STORE_CTX_get_error_depth(context.get())) + ")";
    if (error == X509_V_ERR_CERT_NOT_YET_VALID || error == X509_V_ERR_CERT_HAS_EXPIRED)
        throw Error(Reason::CERT_EXPIRED, "certificate not valid at the given time: " + detail);
    throw Error(Reason::CERT_UNTRUSTED, "certificate not trusted: " + detail);
}

}  // namespace cardbridge::crypto
