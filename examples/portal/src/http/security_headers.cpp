#include "http/security_headers.hpp"

namespace cardbridge::portal {

std::vector<std::pair<std::string, std::string>> security_headers(bool api) {
    std::vector<std::pair<std::string, std::string>> headers{
        {"Content-Security-Policy",
         "default-src 'self'; connect-src 'self' ws://127.0.0.1:61232; frame-ancestors 'none'; "
         "base-uri 'none'; form-action 'self'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "same-origin"},
    };
    headers.emplace_back("Cache-Control", api ? "no-store" : "no-cache");
    return headers;
}

}  // namespace cardbridge::portal
