#include "fixture.hpp"

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <openssl/rand.h>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_key.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "cardbridge/protocol/crypto_trust.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/login_token.hpp"

namespace cardbridge::testing {

namespace {

std::string env(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) throw std::runtime_error(name + " is not set: run under vcard-env");
    return value;
}

crypto::Bytes decode(const std::string& b64) {
    auto bytes = crypto::base64_decode(b64);
    if (!bytes) throw std::runtime_error("not base64: " + b64.substr(0, 40));
    return *bytes;
}

}  // namespace

void VCard::ctl(const std::string& command, const std::string& argument) const {
    std::string line = "'" CARDBRIDGE_VCARD_CTL "' '" + control + "' " + command + " " + argument +
                       " >/dev/null";
    if (std::system(line.c_str()) != 0) throw std::runtime_error("vcard-ctl " + command + " failed");
}

void VCard::power_cycle() const {
    ctl("remove");
    // pcscd sees a removal within ~350 ms (docs/PERFORMANCE.md); one it misses resets nothing.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    ctl("insert");
}

std::size_t cards_listed(const json& readers) {
    std::size_t n = 0;
    for (const auto& r : readers) n += r["state"] != "empty";
    return n;
}

std::vector<VCard> vcards() {
    std::vector<VCard> cards;
    const int count = std::stoi(env("CARDBRIDGE_VCARD_COUNT"));
    for (int n = 1; n <= count; ++n) {
        const auto prefix = "CARDBRIDGE_VCARD" + std::to_string(n) + "_";
        VCard card{env(prefix + "READER"), env(prefix + "CONTROL"),
                   std::filesystem::path(env(prefix + "PROFILE")).filename().string(), ""};
        // E-Port cards ship with 88888888, PIV cards with 123456 (tools/test-pki/README.md).
        card.pin = card.name.find("p256") != std::string::npos ? "123456" : "88888888";
        cards.push_back(card);
    }
    return cards;
}

TestDaemon::TestDaemon(const DaemonSetup& setup) {
    std::string name = (std::filesystem::temp_directory_path() / "cardbridge-pinentry.XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(fd);
    pinentry_log = name;
    DaemonOptions options;
    options.binary = CARDBRIDGE_DAEMON;
    options.config = json{
        {"pinentry", CARDBRIDGE_PINENTRY_STUB},
        {"origins", json::array({
                        {{"pattern", kPortal}, {"login", true}, {"sign", true}, {"sendPin", true}},
                        {{"pattern", kPrompted}, {"login", true}, {"sign", true}, {"sendPin", false}},
                        {{"pattern", kReader}, {"login", false}, {"sign", false}, {"sendPin", false}},
                    })},
        {"logLevel", "debug"},
    };
    options.config.update(setup.config);
    options.environment = setup.environment;
    options.environment.push_back("CARDBRIDGE_PINENTRY_LOG=" + pinentry_log.string());
    process = std::make_unique<DaemonProcess>(options);
    WsClient client(process->port(), kPortal);
    wait_for_tokens(client, vcards().size() + setup.keys);
}

TestDaemon::~TestDaemon() {
    std::error_code ignored;
    std::filesystem::remove(pinentry_log, ignored);
}

std::string TestDaemon::prompts() const { return read_text(pinentry_log); }

json wait_for_tokens(WsClient& client, std::size_t readers) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        auto list = client.call("tokens.list")["result"]["readers"];
        std::size_t ready = 0;
        for (const auto& r : list) ready += !r["token"].is_null();
        if (ready == readers || std::chrono::steady_clock::now() > deadline) return list;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::string reason_of(const json& response) {
    return response.contains("error") ? response["error"]["data"]["reason"].get<std::string>() : "";
}

std::string fresh_nonce() {
    crypto::Bytes bytes(32);
    RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
    return crypto::base64_encode(bytes);
}

std::string file_text(const std::string& path) { return read_text(path); }

std::string verify_token(const std::string& token, const std::string& origin, const std::string& nonce) {
    crypto::TrustAnchors anchors(crypto::certificates_from_pem(
        file_text(CARDBRIDGE_TEST_PKI "/ca/bundle.pem"), Reason::CERT_UNTRUSTED));
    try {
        protocol::verify_login_token(token, origin, nonce, anchors, std::time(nullptr));
        return "";
    } catch (const Error& e) {
        return std::string(reason_name(e.reason()));
    }
}

bool signature_verifies(const std::string& certificate_b64, const std::string& algorithm,
                        const std::string& data, const std::string& signature_b64) {
    auto certificate = crypto::certificate_from_der(decode(certificate_b64), Reason::CERT_UNTRUSTED);
    auto& key = crypto::certificate_public_key(*certificate);
    auto signature = decode(signature_b64);
    const std::span<const std::uint8_t> message(reinterpret_cast<const std::uint8_t*>(data.data()),
                                                data.size());
    if (algorithm.starts_with("RSA-"))
        return crypto::verify_signature(key, algorithm == "RSA-SHA1" ? crypto::DigestAlgorithm::SHA1
                                                                    : crypto::DigestAlgorithm::SHA256,
                                        message, signature);
    // ECDSA and SM2 travel as raw r ‖ s; OpenSSL verifies DER.
    const auto digest = algorithm == "SM2-SM3"        ? crypto::DigestAlgorithm::SM3
                        : algorithm == "ECDSA-SHA384" ? crypto::DigestAlgorithm::SHA384
                                                      : crypto::DigestAlgorithm::SHA256;
    return crypto::verify_signature(key, digest, message, crypto::ecdsa_raw_to_der(signature));
}

std::string certificate_of(const json& info, const std::string& slot) {
    for (const auto& c : info["certificates"])
        if (c["slot"] == slot) return c["certificate"];
    throw std::runtime_error("no certificate in slot " + slot);
}

}  // namespace cardbridge::testing
