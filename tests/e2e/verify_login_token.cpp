// verify_login_token TOKEN ORIGIN NONCE CA_BUNDLE
//
// What a portal's server does with the login token a page hands it: protocol's own
// verify_login_token, for exactly this origin and nonce, against the CA certificates in
// CA_BUNDLE (PEM), at the current time. TOKEN is the token's JSON text, or "-" to read it from
// stdin. Exit status 0 and "OK …" when the token is accepted; 1 and "REJECTED <REASON>: …" when
// it is not; 2 when used wrongly or the bundle cannot be read. The browser tests (tests/e2e) use
// it as the server side of a login.

#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include "cardbridge/protocol/crypto_trust.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/login_token.hpp"

namespace {

std::string read_all(std::istream& in) {
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cardbridge;
    if (argc != 5) {
        std::cerr << "usage: verify_login_token TOKEN|- ORIGIN NONCE CA_BUNDLE\n";
        return 2;
    }
    const std::string token = std::string(argv[1]) == "-" ? read_all(std::cin) : argv[1];
    std::ifstream bundle(argv[4], std::ios::binary);
    if (!bundle) {
        std::cerr << "verify_login_token: cannot read " << argv[4] << '\n';
        return 2;
    }
    std::optional<crypto::TrustAnchors> anchors;
    try {
        anchors.emplace(crypto::certificates_from_pem(read_all(bundle), Reason::INVALID_PARAMS));
    } catch (const Error& e) {
        std::cerr << "verify_login_token: " << argv[4] << ": " << e.what() << '\n';
        return 2;
    }
    try {
        const auto verified =
            protocol::verify_login_token(token, argv[2], argv[3], *anchors, std::time(nullptr));
        std::cout << "OK " << protocol::login_algorithm_name(verified.algorithm) << ' '
                  << verified.serial_hex << ' ' << verified.subject << '\n';
        return 0;
    } catch (const Error& e) {
        std::cout << "REJECTED " << reason_name(e.reason()) << ": " << e.what() << '\n';
        return 1;
    }
}
