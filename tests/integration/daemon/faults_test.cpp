// Readers, cards and pcscd misbehaving under a running daemon, and the WebSocket's guards: each
// gives the caller a typed error and the next request works.

#include <doctest/doctest.h>

#include <cstdlib>
#include <thread>

#include "fixture.hpp"

using namespace cardbridge::testing;
using Clock = std::chrono::steady_clock;

namespace {

json sign_request(const VCard& card, int id) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"method", "auth.login"},
            {"params", {{"nonce", fresh_nonce()}, {"reader", card.reader}, {"pin", card.pin}}}};
}

json next_event(WsClient& client, const std::string& method) {
    for (;;) {
        auto n = client.next_notification();
        if (n["method"] == method) return n["params"];
    }
}

}  // namespace

TEST_CASE("two readers in use at once: a slow card holds up only its own requests") {
    TestDaemon daemon;
    const auto cards = vcards();
    REQUIRE(cards.size() >= 2);
    WsClient slow(daemon->port(), kPortal), fast(daemon->port(), kPortal);
    cards[0].ctl("delay", "400");
    const auto start = Clock::now();
    slow.send_text(sign_request(cards[0], 1).dump());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto quick = fast.call("auth.login", {{"nonce", fresh_nonce()}, {"reader", cards[1].reader}, {"pin", cards[1].pin}});
    const auto fast_done = Clock::now() - start;
    auto slow_answer = slow.read_answer();
    const auto slow_done = Clock::now() - start;
    cards[0].ctl("delay", "0");
    CHECK(!quick.contains("error"));
    CHECK(!slow_answer.contains("error"));
    MESSAGE("other card answered after " << std::chrono::duration<double, std::milli>(fast_done).count()
                                         << " ms; the slow card after "
                                         << std::chrono::duration<double, std::milli>(slow_done).count() << " ms");
    CHECK(fast_done < slow_done);
    CHECK(fast_done < std::chrono::milliseconds(400));
}

TEST_CASE("a card pulled mid-signature gives a typed error, and the card works when back") {
    TestDaemon daemon;
    const auto card = vcards()[0];
    WsClient client(daemon->port(), kPortal);
    client.call("events.subscribe");
    card.ctl("delay", "300");
    client.send_text(sign_request(card, 7).dump());
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    card.ctl("remove");
    const auto answer = client.read_answer();
    const auto reason = reason_of(answer);
    CHECK_MESSAGE((reason == "CARD_REMOVED" || reason == "NO_CARD"), answer.dump());
    CHECK(next_event(client, "token.removed")["reader"] == card.reader);
    card.ctl("delay", "0");
    card.ctl("insert");
    CHECK(next_event(client, "token.inserted")["reader"] == card.reader);
    wait_for_tokens(client, vcards().size());
    auto again = client.call("auth.login", {{"nonce", fresh_nonce()}, {"reader", card.reader}, {"pin", card.pin}});
    CHECK_MESSAGE(!again.contains("error"), again.dump());
    CHECK(client.call("token.info", {{"reader", card.reader}})["result"]["holder"]["name"].is_string());
}

TEST_CASE("the WebSocket refuses other origins and forged hosts before the upgrade, and oversized frames") {
    TestDaemon daemon;
    CHECK(upgrade_status(daemon->port(), kPortal) == 101);
    CHECK(upgrade_status(daemon->port(), "https://evil.example") == 403);
    CHECK(upgrade_status(daemon->port(), "http://www.singlewindow.cn") == 403);
    CHECK(upgrade_status(daemon->port(), kPortal, "attacker.example:" + std::to_string(daemon->port())) == 403);

    WsClient big(daemon->port(), kPortal);
    CHECK(json::parse(big.read_text().value())["_method"] == "open");  // the legacy hello
    big.send_text(std::string(1024 * 1024 + 1, ' '));
    CHECK(!big.read_text().has_value());
    CHECK(big.close_code() == 1009);
    WsClient next(daemon->port(), kPortal);
    CHECK(cards_listed(next.call("tokens.list")["result"]["readers"]) == vcards().size());
}

// Run alone (its own vcard-env): pcscd goes away under every reader.
TEST_CASE("isolated: pcscd stopped and started again: events resume and requests work") {
    TestDaemon daemon;
    const auto card = vcards()[0];
    WsClient client(daemon->port(), kPortal);
    client.call("events.subscribe");
    const auto ctl = std::string("'") + CARDBRIDGE_PCSCD_CTL + "' ";
    REQUIRE(std::system((ctl + "stop").c_str()) == 0);
    CHECK(next_event(client, "reader.removed")["reader"] == card.reader);
    CHECK(reason_of(client.call("token.info", {{"reader", card.reader}})) == "NO_READER");
    const auto start = Clock::now();
    REQUIRE(std::system((ctl + "start").c_str()) == 0);
    CHECK(next_event(client, "reader.added")["reader"] == card.reader);
    CHECK(next_event(client, "token.inserted")["reader"] == card.reader);
    MESSAGE("card back in the daemon "
            << std::chrono::duration<double, std::milli>(Clock::now() - start).count() << " ms after start");
    wait_for_tokens(client, vcards().size());
    auto login = client.call("auth.login", {{"nonce", fresh_nonce()}, {"reader", card.reader}, {"pin", card.pin}});
    CHECK_MESSAGE(!login.contains("error"), login.dump());
}
