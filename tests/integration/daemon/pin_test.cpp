// PINs: from the request or the daemon's own prompt, never retried, never written anywhere.

#include <doctest/doctest.h>

#include "fixture.hpp"

using namespace cardbridge::testing;

namespace {

constexpr auto kWrongPin = "13572468";

int retries_left(WsClient& client, const VCard& card) {
    return client.call("token.info", {{"reader", card.reader}})["result"]["pin"]["retriesLeft"];
}

}  // namespace

TEST_CASE("a wrong PIN costs exactly one try, is reported with the tries left, and is not retried") {
    const auto card = vcards()[0];
    card.power_cycle();
    TestDaemon daemon;
    WsClient client(daemon->port(), kPortal);
    CHECK(retries_left(client, card) == 3);
    auto wrong = client.call("token.verifyPin", {{"reader", card.reader}, {"pin", kWrongPin}});
    CHECK(reason_of(wrong) == "PIN_INCORRECT");
    CHECK(wrong["error"]["data"]["retriesLeft"] == 2);
    // Had the daemon tried the PIN again, the card would count two failures.
    CHECK(retries_left(client, card) == 2);
    CHECK(reason_of(client.call("token.verifyPin", {{"reader", card.reader}, {"pin", "12"}})) == "PIN_FORMAT");
    CHECK(retries_left(client, card) == 2);
    CHECK(client.call("token.verifyPin", {{"reader", card.reader}, {"pin", card.pin}})["result"]["verified"] == true);
    auto pin = client.call("token.info", {{"reader", card.reader}})["result"]["pin"];
    CHECK(pin["verified"] == true);
    // The count is back to three: a fresh session shows it.
    card.power_cycle();
    wait_for_tokens(client, vcards().size());
    CHECK(retries_left(client, card) == 3);
}

TEST_CASE("a wrong PIN sent with auth.login fails even on a card whose PIN was verified before") {
    const auto card = vcards()[0];
    card.power_cycle();
    TestDaemon daemon;
    WsClient client(daemon->port(), kPortal);
    auto first = client.call("auth.login", {{"nonce", fresh_nonce()}, {"reader", card.reader}, {"pin", card.pin}});
    REQUIRE_MESSAGE(!first.contains("error"), first.dump());
    REQUIRE(client.call("token.info", {{"reader", card.reader}})["result"]["pin"]["verified"] == true);
    // A page that asked its user for the PIN must not log them in with a wrong one.
    auto wrong = client.call("auth.login", {{"nonce", fresh_nonce()}, {"reader", card.reader}, {"pin", kWrongPin}});
    CHECK(reason_of(wrong) == "PIN_INCORRECT");
    CHECK(wrong["error"]["data"]["retriesLeft"] == 2);
    auto again = client.call("auth.login", {{"nonce", fresh_nonce()}, {"reader", card.reader}, {"pin", card.pin}});
    CHECK_MESSAGE(!again.contains("error"), again.dump());
    card.power_cycle();
}

TEST_CASE("an origin that may not send the PIN gets the daemon's prompt, which names it and the purpose") {
    const auto card = vcards()[0];
    card.power_cycle();
    TestDaemon daemon({{"CARDBRIDGE_PINENTRY_PIN=" + card.pin}});
    WsClient client(daemon->port(), kPrompted);
    const auto nonce = fresh_nonce();
    auto r = client.call("auth.login", {{"nonce", nonce}, {"reader", card.reader}});
    REQUIRE_MESSAGE(!r.contains("error"), r.dump());
    CHECK(verify_token(r["result"]["token"], kPrompted, nonce) == "");
    const auto prompts = daemon.prompts();
    CHECK(prompts.find(kPrompted) != std::string::npos);
    CHECK(prompts.find("log in") != std::string::npos);
    CHECK(prompts.find(card.pin) == std::string::npos);
}

TEST_CASE("cancelling the prompt is PIN_CANCELLED and costs no try") {
    const auto card = vcards()[0];
    card.power_cycle();
    TestDaemon daemon({{"CARDBRIDGE_PINENTRY_CANCEL=1"}});
    WsClient client(daemon->port(), kPrompted);
    CHECK(reason_of(client.call("token.verifyPin", {{"reader", card.reader}})) == "PIN_CANCELLED");
    CHECK(retries_left(client, card) == 3);
}

TEST_CASE("after PINs right and wrong, no PIN is in the daemon's log, the audit log or the prompt log") {
    TestDaemon daemon;
    WsClient client(daemon->port(), kPortal);
    for (const auto& card : vcards()) {
        client.call("token.verifyPin", {{"reader", card.reader}, {"pin", kWrongPin}});
        client.call("auth.login", {{"nonce", fresh_nonce()}, {"reader", card.reader}, {"pin", card.pin}});
        client.call("token.sign", {{"reader", card.reader}, {"hash", "AAAA"}, {"algorithm", "SM2-SM3"},
                                   {"purpose", "x"}, {"pin", card.pin}});
    }
    // SIGTERM is a clean shutdown.
    CHECK(daemon->stop() == 0);
    for (const auto& text : {daemon->log_text(), file_text(daemon->audit_log().string()), daemon.prompts()}) {
        CHECK(text.find(kWrongPin) == std::string::npos);
        CHECK(text.find("88888888") == std::string::npos);
        // The PIV cards' 123456 is not searched for: it is part of every test GUID's hex.
    }
    CHECK(daemon->log_text().find("listening on") != std::string::npos);
    CHECK(file_text(daemon->audit_log().string()).find("\"operation\":\"login\"") != std::string::npos);
}

// Run alone (its own vcard-env): it blocks the card's PIN for good.
TEST_CASE("isolated: a blocked PIN is reported as blocked, before and after") {
    TestDaemon daemon;
    WsClient client(daemon->port(), kPortal);
    const auto card = vcards()[0];
    CHECK(client.call("token.verifyPin", {{"reader", card.reader}, {"pin", kWrongPin}})["error"]["data"]["retriesLeft"] == 2);
    CHECK(client.call("token.verifyPin", {{"reader", card.reader}, {"pin", kWrongPin}})["error"]["data"]["retriesLeft"] == 1);
    auto last = client.call("token.verifyPin", {{"reader", card.reader}, {"pin", kWrongPin}});
    CHECK(reason_of(last) == "PIN_BLOCKED");
    CHECK(last["error"]["data"]["retriesLeft"] == 0);
    auto info = client.call("token.info", {{"reader", card.reader}})["result"];
    CHECK(info["pin"]["blocked"] == true);
    // Even the right PIN cannot unblock it, and the daemon says why.
    CHECK(reason_of(client.call("token.verifyPin", {{"reader", card.reader}, {"pin", card.pin}})) == "PIN_BLOCKED");
    CHECK(reason_of(client.call("auth.login", {{"nonce", fresh_nonce()}, {"reader", card.reader}, {"pin", card.pin}})) ==
          "PIN_BLOCKED");
}

TEST_CASE("token.changePin: the new PIN works, the old one no longer does, and back again") {
    const auto card = vcards()[1];
    card.power_cycle();
    TestDaemon daemon;
    WsClient client(daemon->port(), kPortal);
    const std::string next = "24681357";
    auto changed = client.call("token.changePin", {{"reader", card.reader}, {"pin", card.pin}, {"newPin", next}});
    REQUIRE_MESSAGE(!changed.contains("error"), changed.dump());
    CHECK(changed["result"]["changed"] == true);
    CHECK(reason_of(client.call("token.verifyPin", {{"reader", card.reader}, {"pin", card.pin}})) == "PIN_INCORRECT");
    CHECK(client.call("token.verifyPin", {{"reader", card.reader}, {"pin", next}})["result"]["verified"] == true);
    CHECK(reason_of(client.call("token.changePin", {{"reader", card.reader}, {"pin", next}})) == "INVALID_PARAMS");
    auto back = client.call("token.changePin", {{"reader", card.reader}, {"pin", next}, {"newPin", card.pin}});
    CHECK_MESSAGE(!back.contains("error"), back.dump());
    CHECK(client.call("token.verifyPin", {{"reader", card.reader}, {"pin", card.pin}})["result"]["verified"] == true);
}
