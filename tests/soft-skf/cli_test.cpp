// The provisioning CLI's contract: exit codes, refusals that name what is wrong, and `show`.

#include <cstdlib>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "skf_calls.hpp"
#include "soft_store.hpp"

using namespace cardbridge::softskf::test;

TEST_CASE("The CLI refuses bad usage with 2 and failures with 1 naming the culprit") {
    const SoftStore store;
    store.create("key1");
    const auto exists = store.cli({"create", "key1", "--serial", "X"}, false);
    CHECK(exists.exit_code == 1);
    CHECK(exists.output.find("key1") != std::string::npos);

    CHECK(store.cli({"create", "key2"}, false).exit_code == 2);                // no --serial
    CHECK(store.cli({"frobnicate"}, false).exit_code == 2);                    // no such command
    CHECK(store.cli({"plug", "key1", "--label", "x"}, false).exit_code == 2);  // no such option
    CHECK(store.cli({"create", "../evil", "--serial", "1"}, false).exit_code == 2);
    CHECK(store.cli({"create", "key3", "--serial", "1", "--user-pin", "123"}, false).exit_code ==
          2);
    ::unsetenv("CARDBRIDGE_SOFT_SKF_STORE");  // no store: neither --store nor the environment
    CHECK(run_cli({"list"}).exit_code == 2);
    ::setenv("CARDBRIDGE_SOFT_SKF_STORE", store.path().c_str(), 1);
    CHECK(store.cli({"unplug", "nobody"}, false).exit_code == 1);

    const auto card = test_pki_card("trade-legal-sm2");
    const auto mismatched =
        store.cli({"import", "key1", "--container", "SIGN", "--sign-key",
                   (card / "9a.key.pem").string(), "--sign-cert", (card / "9c.crt.der").string()},
                  false);
    CHECK(mismatched.exit_code == 1);
    CHECK(mismatched.output.find("9a.key.pem") != std::string::npos);

    const auto p256 = test_pki_card("trade-legal-p256");
    CHECK(store
              .cli({"import", "key1", "--container", "SIGN", "--sign-key",
                    (p256 / "9c.key.pem").string(), "--sign-cert", (p256 / "9c.crt.der").string()},
                   false)
              .exit_code == 1);
    const auto missing =
        store.cli({"import", "key1", "--container", "SIGN", "--sign-key", "/nonexistent.pem",
                   "--sign-cert", (card / "9c.crt.der").string()},
                  false);
    CHECK(missing.exit_code == 1);
    CHECK(missing.output.find("/nonexistent.pem") != std::string::npos);
}

TEST_CASE("The CLI imports PEM certificates and show describes the device") {
    const SoftStore store;
    store.cli({"create", "key1", "--serial", "SN1", "--label", "Legal", "--retries", "5"});
    const auto card = test_pki_card("trade-legal-sm2");
    const std::string pem = (store.path() / "cert.pem").string();
    REQUIRE(std::system(
                ("openssl x509 -inform der -in " + (card / "9c.crt.der").string() + " -out " + pem)
                    .c_str()) == 0);
    store.cli({"import", "key1", "--container", "SIGN", "--sign-key",
               (card / "9c.key.pem").string(), "--sign-cert", pem});
    store.unplug("key1");

    const auto shown = nlohmann::json::parse(store.cli({"show", "key1"}).output);
    CHECK(shown["name"] == "key1");
    CHECK(shown["serial"] == "SN1");
    CHECK(shown["label"] == "Legal");
    CHECK(shown["present"] == false);
    const auto& application = shown["applications"]["EPORT"];
    CHECK(application["userPin"]["maxRetries"] == 5);
    CHECK(application["userPin"]["retriesLeft"] == 5);
    CHECK(application["adminPin"]["maxRetries"] == 5);
    const auto& sign = application["containers"]["SIGN"]["sign"];
    CHECK(sign["keyType"] == "SM2");
    CHECK(sign["subject"].get<std::string>().find("CN=张测试") != std::string::npos);
    CHECK(store.cli({"list"}).output == "key1 absent\n");

    // The certificate the library exports is the DER of the PEM that was imported.
    store.plug("key1");
    const Opened opened = open_container("key1");
    CHECK(export_certificate(opened.container, true) == read_binary_file(card / "9c.crt.der"));
    CHECK(soft_skf().DisConnectDev(opened.device) == cardbridge::skf::SAR_OK);
}
