// USB keys through the daemon, beside a card: two SoftHSM2 tokens (PKCS#11; RSA-2048 and
// P-256) and a soft SKF device (GM/T 0016; the test PKI's SM2 E-Port certificate), used exactly
// as a card is: tokens.list, token.info, auth.login, token.sign, PINs and plug events.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "fixture.hpp"

using namespace cardbridge::testing;
namespace fs = std::filesystem;

namespace {

constexpr auto kKeyPin = "123456";      // the SoftHSM tokens' user PIN (tests/harness/softhsm-tokens)
constexpr auto kEportPin = "88888888";  // the SKF device's, as E-Port keys ship
constexpr auto kSkfDevice = "EPORT-KEY-1";
const std::string kSkfReader = std::string("libcardbridge-soft-skf.so ") + kSkfDevice;

void run(const std::string& line) {
    if (std::system((line + " >/dev/null").c_str()) != 0) throw std::runtime_error("failed: " + line);
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

/// The keys of one test: SoftHSM tokens and a soft SKF store in a directory of their own.
struct KeyStand {
    KeyStand() {
        std::string name = (fs::temp_directory_path() / "cardbridge-keys.XXXXXX").string();
        if (::mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir = name;
        const fs::path pki = CARDBRIDGE_TEST_PKI;
        run(quoted(CARDBRIDGE_SOFTHSM_TOKENS) + " " + quoted(dir / "softhsm") + " " + quoted(pki));
        const fs::path card = pki / "cards/trade-legal-sm2";
        skf("create " + std::string(kSkfDevice) + " --serial CBSKF0001 --label 'soft E-Port key'");
        skf("import " + std::string(kSkfDevice) + " --container SIGN --sign-key " +
            quoted(card / "9c.key.pem") + " --sign-cert " + quoted(card / "9c.crt.der"));
    }
    ~KeyStand() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }

    void skf(const std::string& arguments) const {
        run(quoted(CARDBRIDGE_SOFT_SKF_CLI) + " --store " + quoted(dir / "skf") + " " + arguments);
    }

    DaemonSetup setup() const {
        fs::create_directories(dir / "skf");
        DaemonSetup s;
        s.environment = {"SOFTHSM2_CONF=" + (dir / "softhsm/softhsm2.conf").string(),
                         "CARDBRIDGE_SOFT_SKF_STORE=" + (dir / "skf").string()};
        s.config = {{"usbKeys",
                     {{"pkcs11", {"/usr/lib/softhsm/libsofthsm2.so"}},
                      {"p11KitRegistry", false},
                      {"skf", {CARDBRIDGE_SOFT_SKF_LIB}}}}};
        s.keys = 3;
        return s;
    }

    fs::path dir;
};

/// The reader of the listed token of `type` whose certificate has `algorithm`.
std::string reader_with(WsClient& client, const std::string& type, const std::string& algorithm) {
    const auto readers = client.call("tokens.list")["result"]["readers"];
    for (const auto& r : readers) {
        if (r["token"].is_null() || r["token"]["type"] != type) continue;
        auto info = client.call("token.info", {{"reader", r["reader"]}})["result"];
        if (info["certificates"][0]["algorithm"] == algorithm) return r["reader"];
    }
    throw std::runtime_error("no " + type + " token with a " + algorithm + " key in " + readers.dump());
}

json next_event(WsClient& client, const std::string& method) {
    for (int i = 0; i < 8; ++i) {
        auto event = client.next_notification();
        if (event["method"] == method) return event["params"];
    }
    throw std::runtime_error("no " + method + " event");
}

}  // namespace

TEST_CASE("keys: listed beside the card, read and described like one") {
    KeyStand stand;
    TestDaemon daemon(stand.setup());
    WsClient client(daemon->port(), kPortal);
    const auto list = wait_for_tokens(client, vcards().size() + 3);
    std::size_t keys = 0;
    for (const auto& r : list) {
        if (r["token"].is_null() || r["token"]["type"] == "piv") continue;
        CAPTURE(r.dump());
        ++keys;
        CHECK(r["state"] == "present");
        CHECK(r["atr"].is_null());
        CHECK(r["token"]["label"] == "测试进出口贸易有限公司 张测试");
    }
    CHECK(keys == 3);

    const auto rsa = client.call("token.info", {{"reader", reader_with(client, "pkcs11", "RSA-2048")}})["result"];
    CHECK(rsa["id"].get<std::string>().starts_with("pkcs11:SoftHSM v2:"));
    CHECK(rsa["certificates"][0]["slot"] == "01");
    CHECK(rsa["certificates"][0]["usage"] == "sign");
    CHECK(rsa["pin"]["blocked"] == false);

    const auto skf = client.call("token.info", {{"reader", kSkfReader}})["result"];
    CAPTURE(skf.dump());
    CHECK(skf["type"] == "skf");
    CHECK(skf["id"] == "skf:CBSKF0001");
    CHECK(skf["atr"].is_null());
    CHECK(skf["enterprise"]["uscc"] == "91999999000000019D");
    CHECK(skf["holder"]["name"] == "张测试");
    CHECK(skf["role"] == "legal-person");
    CHECK(skf["cardId"] == "03-9999000000003");
    CHECK(skf["certificates"][0]["slot"] == "EPORT/SIGN");
    CHECK(skf["certificates"][0]["algorithm"] == "SM2");
    CHECK(skf["pin"]["retriesLeft"] == 3);
}

TEST_CASE("keys: each key logs in and signs, and OpenSSL verifies what it made") {
    KeyStand stand;
    TestDaemon daemon(stand.setup());
    WsClient client(daemon->port(), kPortal);
    const std::string data = "报关单 declaration 2026";
    for (const auto& [type, key, algorithm, pin] :
         {std::tuple{"pkcs11", "RSA-2048", "RSA-SHA256", kKeyPin},
          std::tuple{"pkcs11", "EC-P256", "ECDSA-SHA256", kKeyPin},
          std::tuple{"skf", "SM2", "SM2-SM3", kEportPin}}) {
        CAPTURE(algorithm);
        const auto reader = reader_with(client, type, key);
        const auto nonce = fresh_nonce();
        const auto login = client.call("auth.login", {{"nonce", nonce}, {"reader", reader}, {"pin", pin}});
        REQUIRE_MESSAGE(login.contains("result"), login.dump());
        CHECK(verify_token(login["result"]["token"], kPortal, nonce) == "");

        const auto signed_ = client.call(
            "token.sign", {{"data", cardbridge::crypto::base64_encode(std::span(
                                        reinterpret_cast<const std::uint8_t*>(data.data()), data.size()))},
                           {"algorithm", algorithm},
                           {"purpose", "a declaration"},
                           {"reader", reader},
                           {"pin", pin}});
        REQUIRE_MESSAGE(signed_.contains("result"), signed_.dump());
        const auto info = client.call("token.info", {{"reader", reader}})["result"];
        CHECK(signature_verifies(info["certificates"][0]["certificate"], algorithm, data,
                                 signed_["result"]["signature"]));
        CHECK_FALSE(signature_verifies(info["certificates"][0]["certificate"], algorithm, data + " ",
                                       signed_["result"]["signature"]));
    }
    CHECK(file_text(daemon->audit_log().string()).find(kSkfReader) != std::string::npos);
}

TEST_CASE("keys: a wrong PIN reports the retries left and is never retried") {
    KeyStand stand;
    TestDaemon daemon(stand.setup());
    WsClient client(daemon->port(), kPortal);
    auto wrong = client.call("token.verifyPin", {{"reader", kSkfReader}, {"pin", "13572468"}});
    CHECK(reason_of(wrong) == "PIN_INCORRECT");
    CHECK(wrong["error"]["data"]["retriesLeft"] == 2);
    CHECK(wrong.dump().find("13572468") == std::string::npos);
    CHECK(client.call("token.info", {{"reader", kSkfReader}})["result"]["pin"]["retriesLeft"] == 2);
    CHECK(client.call("token.verifyPin", {{"reader", kSkfReader}, {"pin", kEportPin}})["result"]["verified"] == true);
    CHECK(client.call("token.info", {{"reader", kSkfReader}})["result"]["pin"]["retriesLeft"] == 3);

    const auto p11 = reader_with(client, "pkcs11", "EC-P256");
    CHECK(reason_of(client.call("token.verifyPin", {{"reader", p11}, {"pin", "654321"}})) == "PIN_INCORRECT");
    CHECK(reason_of(client.call("token.verifyPin", {{"reader", p11}, {"pin", "12"}})) == "PIN_FORMAT");
    CHECK(client.call("token.verifyPin", {{"reader", p11}, {"pin", kKeyPin}})["result"]["verified"] == true);
}

TEST_CASE("keys: unplugging and plugging the SKF key in again is seen as events") {
    KeyStand stand;
    TestDaemon daemon(stand.setup());
    WsClient client(daemon->port(), kPortal);
    REQUIRE(client.call("events.subscribe")["result"]["subscribed"] == true);

    stand.skf(std::string("unplug ") + kSkfDevice);
    CHECK(next_event(client, "token.removed")["reader"] == kSkfReader);
    CHECK(next_event(client, "reader.removed")["reader"] == kSkfReader);
    CHECK(reason_of(client.call("token.info", {{"reader", kSkfReader}})) == "NO_READER");

    stand.skf(std::string("plug ") + kSkfDevice);
    CHECK(next_event(client, "reader.added")["reader"] == kSkfReader);
    const auto inserted = next_event(client, "token.inserted");
    CHECK(inserted["reader"] == kSkfReader);
    CHECK(inserted["atr"].is_null());
    wait_for_tokens(client, vcards().size() + 3);
    const auto info = client.call("token.info", {{"reader", kSkfReader}});
    REQUIRE_MESSAGE(info.contains("result"), info.dump());
    CHECK(info["result"]["id"] == "skf:CBSKF0001");
}
