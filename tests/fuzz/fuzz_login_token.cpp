// Login-token verification and origin parsing on arbitrary text. The CAs below issued the
// certificates of the seed tokens (tests/fuzz/corpus/login_token/token_*.json), which verify
// for kOrigin and kNonce at kNow, so mutations start from tokens that reach the signature check.

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string_view>

#include "cardbridge/protocol/crypto_trust.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/login_token.hpp"
#include "cardbridge/protocol/origin.hpp"

namespace {

using namespace cardbridge;
using namespace cardbridge::protocol;

constexpr std::string_view kOrigin = "https://www.singlewindow.cn";
constexpr std::string_view kNonce = "Y2FyZGJyaWRnZSBmdXp6IG5vbmNlLCAzMiBieXRlcyE=";
constexpr std::time_t kNow = 1767225600;  // 2026-01-01T00:00:00Z

// A P-256 CA (issuer of the RSA and ECDSA seed leaves) and an SM2 CA (issuer of the SM2 one).
constexpr std::string_view kCas = R"(-----BEGIN CERTIFICATE-----
MIIBiDCCAS+gAwIBAgIBATAKBggqhkjOPQQDAjAsMRgwFgYDVQQKDA9jYXJkYnJp
ZGdlIHRlc3QxEDAOBgNVBAMMB0Z1enogQ0EwHhcNMjAwMTAxMDAwMDAwWhcNNDUw
MTAxMDAwMDAwWjAsMRgwFgYDVQQKDA9jYXJkYnJpZGdlIHRlc3QxEDAOBgNVBAMM
B0Z1enogQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAT7dIPyVW8TKcfvuNcL
OZnKlm6FkD6YthByIxxRr/044YhZBAgIQgnGgROmjgUgwt66mlE7XaUjPy5e1/YB
Ja+8o0IwQDAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBTc/qmIZq75IVVIlW7H
OcpVE41vijAOBgNVHQ8BAf8EBAMCAQYwCgYIKoZIzj0EAwIDRwAwRAIgazur21Tr
jAa4BpPggbh4sdJ6w0RawgDl0zFjkJq/dY8CIA9B6bF/WTQvHqhhoRFj8lckE+zw
iNgAT5mTSKNkR1NO
-----END CERTIFICATE-----
-----BEGIN CERTIFICATE-----
MIIBkTCCATegAwIBAgIBATAKBggqgRzPVQGDdTAwMRgwFgYDVQQKDA9jYXJkYnJp
ZGdlIHRlc3QxFDASBgNVBAMMC0Z1enogU00yIENBMB4XDTIwMDEwMTAwMDAwMFoX
DTQ1MDEwMTAwMDAwMFowMDEYMBYGA1UECgwPY2FyZGJyaWRnZSB0ZXN0MRQwEgYD
VQQDDAtGdXp6IFNNMiBDQTBZMBMGByqGSM49AgEGCCqBHM9VAYItA0IABMVWorHr
fHFerDlP9GKYrWc07PRAVkvdodVDVRDPQCmdr+9w611EYMpHCctCeWBoW1UbqMEo
R5QKKqK8c71LF9yjQjBAMA8GA1UdEwEB/wQFMAMBAf8wHQYDVR0OBBYEFEWUvGzB
zTS/Qsjr4SN6mlKhF5MmMA4GA1UdDwEB/wQEAwIBBjAKBggqgRzPVQGDdQNIADBF
AiARikqDqPvrrQDk7EtACinAJfz8w8/JCSiQKWifX28lgQIhAMb0CKqozgNat+ps
/NmJoKP4gFKjzEnIw4xm8qicQ3vx
-----END CERTIFICATE-----
)";

void fuzz_token(std::string_view text) {
    static const crypto::TrustAnchors trusted(
        crypto::certificates_from_pem(kCas, Reason::INTERNAL));
    try {
        const VerifiedLogin login = verify_login_token(text, kOrigin, kNonce, trusted, kNow);
        // Whatever verifies must be what a builder would have written for it.
        if (login.certificate_der.empty() || login.not_after < kNow) __builtin_trap();
    } catch (const Error&) {
    }
}

// A parsed origin is canonical: its text is the input, and it parses to itself.
void fuzz_origin(std::string_view text) {
    try {
        const Origin origin = Origin::parse(text);
        if (origin.str() != text || !(Origin::parse(origin.str()) == origin)) __builtin_trap();
        if (parse_canonical_host(origin.host()) != origin.host_kind()) __builtin_trap();
        const bool subdomain = OriginPattern::parse("https://*.singlewindow.cn").matches(origin);
        if (subdomain && !origin.host().ends_with(".singlewindow.cn")) __builtin_trap();
        if (!OriginPattern::parse(text).matches(origin)) __builtin_trap();
    } catch (const Error&) {
    }
    try {
        const OriginPattern pattern = OriginPattern::parse(text);
        if (pattern.str() != text) __builtin_trap();
    } catch (const Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    fuzz_token(text);
    fuzz_origin(text);
    return 0;
}
