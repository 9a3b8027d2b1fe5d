// Loading a profile directory: what PROFILE.md allows loads, everything else is refused with
// the file (and, where it helps, the field) named.
#include <doctest/doctest.h>

#include "vcard_fixture.hpp"

using namespace cardbridge;
using namespace cardbridge::test;
using protocol::Bytes;

namespace {

// The message of the error that loading `profile` throws, checked to name `file`.
std::string load_error(const TestProfile& profile, const std::string& file, Reason reason) {
    try {
        vcard::Card::load(profile.dir.path());
    } catch (const Error& e) {
        CHECK(e.reason() == reason);
        const std::string message = e.what();
        CHECK_MESSAGE(message.find((profile.dir.path() / file).string()) == 0, message);
        return message;
    }
    FAIL("the profile loaded");
    return {};
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a profile as PROFILE.md describes it loads with an ATR of its own if given") {
    TestProfile profile({{"9a", KeySpec::SM2}, {"9c", KeySpec::RSA1024}});
    CHECK(vcard::Card::load(profile.dir.path()).atr().size() == 16);
    // 3B 02 14 50: T=0 only, two historical bytes, so no TCK.
    profile.write_json(replaced(profile.default_json(), "\"chuid_guid\"",
                                "\"atr\": \"3B 02 14 50\", \"chuid_guid\""));
    CHECK(vcard::Card::load(profile.dir.path()).atr() == Bytes{0x3B, 0x02, 0x14, 0x50});
    profile.write_json(replaced(profile.default_json(), "\"printed\"", "\"unused\""));
    CHECK_NOTHROW(vcard::Card::load(profile.dir.path()));
}

TEST_CASE("a missing card.json or key or certificate is named") {
    TestProfile profile({{"9a", KeySpec::P256}});
    std::filesystem::remove(profile.dir.path() / "9a.crt.der");
    CHECK(load_error(profile, "9a.crt.der", Reason::INVALID_PARAMS).find("cannot open") !=
          std::string::npos);
    std::filesystem::remove(profile.dir.path() / "9a.key.pem");
    load_error(profile, "9a.key.pem", Reason::INVALID_PARAMS);
    std::filesystem::remove(profile.dir.path() / "card.json");
    load_error(profile, "card.json", Reason::INVALID_PARAMS);
}

TEST_CASE("bad keys and certificates are named with what is wrong") {
    TestProfile profile({{"9a", KeySpec::P256}, {"9e", KeySpec::P384}});
    SUBCASE("a file that is no PEM key") {
        profile.write_file("9a.key.pem", ascii("-----BEGIN PRIVATE KEY-----\nAAAA\n"));
        load_error(profile, "9a.key.pem", Reason::INVALID_PARAMS);
    }
    SUBCASE("a certificate for another key") {
        profile.write_file("9a.crt.der", profile.credentials.at("9e").der());
        CHECK(load_error(profile, "9a.crt.der", Reason::INVALID_PARAMS).find("not for this") !=
              std::string::npos);
    }
    SUBCASE("a certificate that is no DER certificate") {
        Bytes der = profile.credentials.at("9a").der();
        der.push_back(0x00);
        profile.write_file("9a.crt.der", der);
        load_error(profile, "9a.crt.der", Reason::INVALID_PARAMS);
    }
    SUBCASE("keys the card has no algorithm for") {
        for (const KeySpec spec : {KeySpec::RSA512, KeySpec::ED25519}) {
            const auto key = generate_key(spec);
            const std::string pem = private_key_pem(*key);
            profile.write_file("9a.key.pem", Bytes(pem.begin(), pem.end()));
            load_error(profile, "9a.key.pem", Reason::UNSUPPORTED_ALGORITHM);
        }
    }
}

TEST_CASE("card.json fields outside PROFILE.md's ranges are named") {
    TestProfile profile({{"9a", KeySpec::P256}});
    const std::string json = profile.default_json();
    const auto refused = [&](const std::string& from, const std::string& to,
                             const std::string& expected) {
        CAPTURE(to);
        profile.write_json(replaced(json, from, to));
        const std::string message = load_error(profile, "card.json", Reason::INVALID_PARAMS);
        CHECK_MESSAGE(message.find(expected) != std::string::npos, message);
    };
    refused("\"pin\": \"123456\"", "\"pin\": \"12345\"", "\"pin\"");
    refused("\"pin\": \"123456\"", "\"pin\": \"123456789\"", "\"pin\"");
    refused("\"pin\": \"123456\"", "\"pin\": \"12345a\"", "\"pin\"");
    refused("\"pin\": \"123456\"", "\"pin\": 123456", "\"pin\"");
    refused("\"puk\": \"87654321\"", "\"puk\": \"1234567\"", "\"puk\"");
    refused("\"pin_retries\": 3", "\"pin_retries\": 0", "\"pin_retries\"");
    refused("\"puk_retries\": 3", "\"puk_retries\": 16", "\"puk_retries\"");
    refused("\"pin_retries\": 3", "\"pin_retries\": 2.5", "\"pin_retries\"");
    refused("00112233445566778899aabbccddeeff", "00112233445566778899aabbccddee", "\"chuid_guid\"");
    refused("00112233445566778899aabbccddeeff", "0011223344556677889xaabbccddeeff",
            "\"chuid_guid\"");
    refused("\"chuid_guid\"", "\"atr\": \"3B 8C 01\", \"chuid_guid\"", "ATR");
    refused("\"chuid_guid\"", "\"atr\": \"3B 81 01 80 01\", \"chuid_guid\"", "TCK");
    refused("\"chuid_guid\"", "\"atr\": \"3B 80 01\", \"chuid_guid\"", "ATR");  // TCK missing
    refused("\"slots\": {", "\"slots\": {\"9b\": {}, ", "9b");
    refused("\"slots\": {",
            "\"slots\": {\"9A\": {\"key\": \"9a.key.pem\", \"certificate\": \"9a.crt.der\"}, ",
            "twice");
    refused("\"slots\": {", "\"slots\": {\"9c\": {\"key\": \"9a.key.pem\"}, ", "\"certificate\"");
    refused("\"name\": \"张测试\"", "\"name\": 1", "\"name\"");
    profile.write_json("{\"pin\": ");
    load_error(profile, "card.json", Reason::PARSE_ERROR);
    profile.write_json("[]");
    load_error(profile, "card.json", Reason::INVALID_PARAMS);
}
