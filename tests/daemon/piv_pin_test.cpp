// The PIN of a PIV card as a user meets it: the retries the card counts, a blocked PIN, a
// changed PIN. A wrong PIN costs a try on a real card, so a VERIFY is never sent twice.
#include <doctest/doctest.h>

#include "../unit/expect_error.hpp"
#include "piv_fixture.hpp"
#include "tokens/describe.hpp"
#include "tokens/piv_card.hpp"
#include "tokens/piv_token.hpp"
#include "tokens/signing.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
using namespace cardbridge::daemon::tokens::piv;
using cardbridge::test::answer;
using cardbridge::test::pin;
using cardbridge::test::pki_card;
using cardbridge::test::ScriptedCard;
using cardbridge::test::VirtualCard;

namespace {

constexpr std::uint8_t kVerify = 0x20;
constexpr std::string_view kEportPin = "88888888";

void select(const VirtualCard& card) {
    piv::select(card.transmit());
}

}  // namespace

TEST_CASE("piv: PIN state counts down with wrong PINs, blocks, and a correct PIN resets it") {
    VirtualCard card(pki_card("trade-legal-sm2"));
    select(card);
    PinState state = pin_state(card.transmit());
    CHECK_FALSE(state.verified);
    CHECK_FALSE(state.blocked);
    CHECK(state.retries_left == 3);

    Error wrong = error_of([&] { verify_pin(card.transmit(), pin("11111111")); });
    CHECK(wrong.reason() == Reason::PIN_INCORRECT);
    CHECK(wrong.retries_left() == 2);
    CHECK(std::string(wrong.what()).find("2 tries left") != std::string::npos);
    CHECK(card.count(kVerify, true) == 1);  // the daemon did not try again on its own
    CHECK(pin_state(card.transmit()).retries_left == 2);

    wrong = error_of([&] { verify_pin(card.transmit(), pin("1111111")); });
    CHECK(wrong.reason() == Reason::PIN_INCORRECT);
    CHECK(wrong.retries_left() == 1);

    SUBCASE("the right PIN restores every try") {
        verify_pin(card.transmit(), pin(kEportPin));
        CHECK(pin_state(card.transmit()).verified);
        card.reset();
        select(card);
        state = pin_state(card.transmit());
        CHECK_FALSE(state.verified);
        CHECK(state.retries_left == 3);
    }
    SUBCASE("the third wrong PIN blocks it, and then even the right one is refused") {
        const Error blocked = error_of([&] { verify_pin(card.transmit(), pin("111111")); });
        CHECK(blocked.reason() == Reason::PIN_BLOCKED);
        CHECK(blocked.retries_left() == 0);
        CHECK(reason_of_call([&] { verify_pin(card.transmit(), pin(kEportPin)); }) ==
              Reason::PIN_BLOCKED);
        state = pin_state(card.transmit());
        CHECK(state.blocked);
        CHECK(state.retries_left == 0);
        CHECK_FALSE(state.verified);
    }
}

TEST_CASE("piv: a PIN that is not 6 to 8 digits never reaches the card") {
    VirtualCard card(pki_card("trade-legal-p256"));
    select(card);
    for (const std::string_view bad : {"12345", "123456789", "12345a", "12 3456", "１２３４５６"}) {
        CAPTURE(bad);
        CHECK(reason_of_call([&] { verify_pin(card.transmit(), pin(bad)); }) == Reason::PIN_FORMAT);
        CHECK(reason_of_call([&] { change_pin(card.transmit(), pin("123456"), pin(bad)); }) ==
              Reason::PIN_FORMAT);
    }
    CHECK(card.count(kVerify) == 0);
    CHECK(card.count(0x24) == 0);
    CHECK(pin_state(card.transmit()).retries_left == 3);
}

TEST_CASE("piv: VERIFY pads the PIN to eight bytes with FF") {
    ScriptedCard card({answer(0x9000)});
    verify_pin(card.transmit(), pin("123456"));
    CHECK(card.sent().front() ==
          protocol::Bytes{0x00, 0x20, 0x00, 0x80, 0x08, '1', '2', '3', '4', '5', '6', 0xFF, 0xFF});
}

TEST_CASE("piv: changing the PIN") {
    VirtualCard card(pki_card("trade-operator-sm2"));
    select(card);
    change_pin(card.transmit(), pin(kEportPin), pin("24681357"));
    card.reset();
    select(card);
    const Error old = error_of([&] { verify_pin(card.transmit(), pin(kEportPin)); });
    CHECK(old.reason() == Reason::PIN_INCORRECT);
    CHECK(old.retries_left() == 2);
    verify_pin(card.transmit(), pin("24681357"));
    CHECK(pin_state(card.transmit()).verified);

    const Error wrong =
        error_of([&] { change_pin(card.transmit(), pin("11111111"), pin("13572468")); });
    CHECK(wrong.reason() == Reason::PIN_INCORRECT);
    CHECK(wrong.retries_left() == 2);
    CHECK(card.count(0x24) == 2);
}

TEST_CASE("piv: PIN answers only some cards give") {
    SUBCASE("6983 to a status query: blocked") {
        ScriptedCard card({answer(0x6983)});
        const PinState state = pin_state(card.transmit());
        CHECK(state.blocked);
        CHECK(state.retries_left == 0);
    }
    SUBCASE("a card that will not tell without a real VERIFY: retries unknown") {
        ScriptedCard card({answer(0x6A80)});
        const PinState state = pin_state(card.transmit());
        CHECK_FALSE(state.verified);
        CHECK_FALSE(state.blocked);
        CHECK_FALSE(state.retries_left);
    }
    SUBCASE("63C0 to a VERIFY: the last try went, the PIN is blocked") {
        ScriptedCard card({answer(0x63C0)});
        const Error e = error_of([&] { verify_pin(card.transmit(), pin("123456")); });
        CHECK(e.reason() == Reason::PIN_BLOCKED);
        CHECK(e.retries_left() == 0);
    }
    SUBCASE("an unexpected status word names the command and the SW") {
        ScriptedCard card({answer(0x6700)});
        const Error e =
            error_of([&] { change_pin(card.transmit(), pin("123456"), pin("654321")); });
        CHECK(e.reason() == Reason::CARD_ERROR);
        CHECK(std::string(e.what()) == "the card answered CHANGE REFERENCE DATA with 6700");
    }
}
