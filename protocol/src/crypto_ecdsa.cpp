#include <algorithm>
#include <string>

#include "cardbridge/protocol/crypto_signature.hpp"

namespace cardbridge::crypto {
namespace {

EcdsaSigPtr parse_strict_der(std::span<const std::uint8_t> der) {
    const unsigned char* cursor = der.data();
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    if (!sig || cursor != der.data() + der.size()) {
        discard_openssl_errors();
        throw Error(Reason::SIGNATURE_INVALID, "signature is not one DER ECDSA-Sig-Value");
    }
    // OpenSSL's decoder tolerates some BER; re-encoding exposes it.
    unsigned char* encoded = nullptr;
    const int size = i2d_ECDSA_SIG(sig.get(), &encoded);
    const bool canonical = size > 0 && std::equal(der.begin(), der.end(), encoded, encoded + size);
    OPENSSL_free(encoded);
    if (!canonical) throw Error(Reason::SIGNATURE_INVALID, "signature is not strict DER");
    return sig;
}

}  // namespace

Bytes ecdsa_der_to_raw(std::span<const std::uint8_t> der, std::size_t field_bytes) {
    const auto sig = parse_strict_der(der);
    Bytes raw(2 * field_bytes);
    const BIGNUM* halves[] = {ECDSA_SIG_get0_r(sig.get()), ECDSA_SIG_get0_s(sig.get())};
    for (std::size_t i = 0; i < 2; ++i) {
        if (BN_is_negative(halves[i]) || BN_bn2binpad(halves[i], raw.data() + i * field_bytes,
                                                      static_cast<int>(field_bytes)) < 0)
            throw Error(Reason::SIGNATURE_INVALID, "signature value is negative or wider than " +
                                                       std::to_string(field_bytes) + " bytes");
    }
    return raw;
}

Bytes ecdsa_raw_to_der(std::span<const std::uint8_t> raw) {
    if (raw.empty() || raw.size() % 2 != 0)
        throw Error(Reason::SIGNATURE_INVALID,
                    "raw signature of " + std::to_string(raw.size()) + " bytes is not r||s");
    const auto half = static_cast<int>(raw.size() / 2);
    auto r = require(BignumPtr(BN_bin2bn(raw.data(), half, nullptr)), "BN_bin2bn");
    auto s = require(BignumPtr(BN_bin2bn(raw.data() + half, half, nullptr)), "BN_bin2bn");
    auto sig = require(EcdsaSigPtr(ECDSA_SIG_new()), "ECDSA_SIG_new");
    if (ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
        throw_openssl_error(Reason::INTERNAL, "ECDSA_SIG_set0");
    // The signature object owns them now.
    r.release();
    s.release();
    const int size = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (size <= 0) throw_openssl_error(Reason::INTERNAL, "encoding an ECDSA signature failed");
    Bytes der(static_cast<std::size_t>(size));
    unsigned char* cursor = der.data();
    i2d_ECDSA_SIG(sig.get(), &cursor);
    return der;
}

}  // namespace cardbridge::crypto
