#include <doctest/doctest.h>

#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/hex.hpp"

using cardbridge::Error;
using cardbridge::Reason;
using cardbridge::protocol::Bytes;
using cardbridge::protocol::CommandApdu;
using cardbridge::protocol::ResponseApdu;
using cardbridge::protocol::StatusWord;
namespace sw = cardbridge::protocol::sw;

namespace {

Bytes repeat(std::size_t n, std::uint8_t value = 0xAB) {
    return Bytes(n, value);
}

Bytes join(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

void check_rejected(const Bytes& bytes) {
    CAPTURE(bytes.size());
    try {
        CommandApdu::parse(bytes);
        FAIL("parsed a malformed APDU");
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::CARD_ERROR);
    }
}

}  // namespace

TEST_CASE("status words say what the card meant") {
    CHECK(sw::kOk.ok());
    CHECK_FALSE(sw::kNotFound.ok());
    CHECK(StatusWord(0x6A82) == sw::kNotFound);
    CHECK(sw::kSecurityStatusNotSatisfied.value() == 0x6982);

    CHECK(StatusWord(0x61, 0x10).bytes_remaining() == 16);
    CHECK(StatusWord(0x61, 0x00).bytes_remaining() == 256);
    CHECK_FALSE(sw::kOk.bytes_remaining().has_value());
    CHECK(StatusWord::more_data(300) == StatusWord(0x61, 0x00));
    CHECK(StatusWord::more_data(44) == StatusWord(0x61, 0x2C));

    CHECK(StatusWord(0x6C, 0x14).exact_length() == 20);
    CHECK(StatusWord(0x6C, 0x00).exact_length() == 256);
    CHECK_FALSE(StatusWord(0x61, 0x14).exact_length().has_value());
    CHECK(StatusWord::wrong_le(256) == StatusWord(0x6C, 0x00));

    CHECK(StatusWord(0x63, 0xC2).retries_left() == 2);
    CHECK(StatusWord(0x63, 0xC0).retries_left() == 0);
    CHECK_FALSE(StatusWord(0x63, 0x00).retries_left().has_value());
    CHECK_FALSE(sw::kAuthenticationBlocked.retries_left().has_value());
    CHECK(StatusWord::retries(3) == StatusWord(0x63, 0xC3));
    CHECK(StatusWord::retries(99) == StatusWord(0x63, 0xCF));
    CHECK(StatusWord::retries(-1) == StatusWord(0x63, 0xC0));
}

TEST_CASE("short APDUs of the four ISO cases round-trip") {
    const CommandApdu case1(0x00, 0x20, 0x00, 0x80);
    CHECK(case1.encode() == Bytes{0x00, 0x20, 0x00, 0x80});

    const CommandApdu case2 = CommandApdu::get_response(256);
    CHECK(case2.encode() == Bytes{0x00, 0xC0, 0x00, 0x00, 0x00});

    const CommandApdu case3 =
        CommandApdu::verify(0x80, Bytes{'1', '2', '3', '4', '5', '6', 0xFF, 0xFF});
    CHECK(case3.encode() ==
          Bytes{0x00, 0x20, 0x00, 0x80, 0x08, '1', '2', '3', '4', '5', '6', 0xFF, 0xFF});

    const CommandApdu case4 = CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x02});
    CHECK(case4.encode() ==
          Bytes{0x00, 0xCB, 0x3F, 0xFF, 0x05, 0x5C, 0x03, 0x5F, 0xC1, 0x02, 0x00});

    for (const CommandApdu& c : {case1, case2, case3, case4}) {
        const CommandApdu back = CommandApdu::parse(c.encode());
        CHECK(back == c);
        CHECK_FALSE(back.extended());
    }
    CHECK(CommandApdu::parse(Bytes{0x00, 0xB0, 0x00, 0x00, 0x08}).ne() == 8);
    CHECK(CommandApdu::parse(Bytes{0x00, 0xB0, 0x00, 0x00, 0x00}).ne() == 256);
}

TEST_CASE("extended APDUs are chosen when needed and round-trip") {
    const CommandApdu big(0x00, 0x87, 0x07, 0x9A, repeat(300), 65536);
    CHECK(big.extended());
    const Bytes wire = big.encode();
    CHECK(wire.size() == 4 + 3 + 300 + 2);
    CHECK(Bytes(wire.begin() + 4, wire.begin() + 7) == Bytes{0x00, 0x01, 0x2C});
    CHECK(Bytes(wire.end() - 2, wire.end()) == Bytes{0x00, 0x00});  // Ne 65536
    CHECK(CommandApdu::parse(wire) == big);

    const CommandApdu case2e(0x00, 0xCB, 0x3F, 0xFF, {}, 1000);
    CHECK(case2e.encode() == Bytes{0x00, 0xCB, 0x3F, 0xFF, 0x00, 0x03, 0xE8});
    CHECK(CommandApdu::parse(case2e.encode()) == case2e);

    const CommandApdu case3e(0x00, 0xDB, 0x3F, 0xFF, repeat(256));
    CHECK(CommandApdu::parse(case3e.encode()).data().size() == 256);
    CHECK(CommandApdu::parse(case3e.encode()).ne() == 0);

    // A small command asked for in extended form keeps that form through the wire.
    const CommandApdu forced = CommandApdu::get_data(Bytes{0x7E}).as_extended();
    const Bytes forced_wire = forced.encode();
    CHECK(forced_wire ==
          Bytes{0x00, 0xCB, 0x3F, 0xFF, 0x00, 0x00, 0x03, 0x5C, 0x01, 0x7E, 0x01, 0x00});
    CHECK(CommandApdu::parse(forced_wire).extended());
    CHECK(CommandApdu::parse(forced_wire).ne() == 256);
}

TEST_CASE("APDUs that no ISO case describes are rejected") {
    check_rejected({});
    check_rejected({0x00, 0xA4, 0x04});
    check_rejected({0x00, 0xA4, 0x04, 0x00, 0x05, 0xA0, 0x00});              // Lc 5, 2 bytes
    check_rejected({0x00, 0xA4, 0x04, 0x00, 0x02, 0xA0, 0x00, 0x00, 0x00});  // 2 too many
    check_rejected({0x00, 0xA4, 0x04, 0x00, 0x00, 0x01});                    // lone marker
    check_rejected({0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00});        // Lc 0 extended
    check_rejected({0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00});  // Lc 0, then Le
    check_rejected({0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x03, 0x01, 0x02});  // short by one
    check_rejected(
        join({0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x02, 0x01, 0x02}, {0x00}));  // Le 1 byte
}

TEST_CASE("construction refuses what no encoding carries") {
    CHECK_THROWS_AS(CommandApdu(0, 0, 0, 0, repeat(65536)), Error);
    CHECK_THROWS_AS(CommandApdu(0, 0, 0, 0, {}, 65537), Error);
    CHECK_THROWS_AS(CommandApdu::get_data(Bytes{}), Error);
    CHECK_THROWS_AS(CommandApdu::get_data(Bytes{1, 2, 3, 4}), Error);
}

TEST_CASE("command chaining splits data and sets the chaining bit on all but the last") {
    const CommandApdu whole(0x00, 0x87, 0x07, 0x9A, repeat(266), 256);
    const auto parts = whole.chain();
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].cla() == 0x10);
    CHECK(parts[0].chained());
    CHECK(parts[0].data().size() == 255);
    CHECK(parts[0].ne() == 0);
    CHECK(parts[1].cla() == 0x00);
    CHECK(parts[1].data().size() == 11);
    CHECK(parts[1].ne() == 256);
    for (const auto& p : parts) CHECK_FALSE(p.extended());

    CHECK(CommandApdu::get_response(16).chain().size() == 1);
    CHECK(CommandApdu(0x00, 0x87, 0x07, 0x9A, repeat(10)).chain(3).size() == 4);
    CHECK_THROWS_AS(whole.chain(0), Error);
    CHECK_THROWS_AS(whole.chain(256), Error);
}

TEST_CASE("PIV commands are built as SP 800-73-4 lays them out") {
    const Bytes aid{0xA0, 0x00, 0x00, 0x03, 0x08};
    CHECK(CommandApdu::select_aid(aid).encode() ==
          Bytes{0x00, 0xA4, 0x04, 0x00, 0x05, 0xA0, 0x00, 0x00, 0x03, 0x08, 0x00});
    CHECK(CommandApdu::verify_status(0x80).encode() == Bytes{0x00, 0x20, 0x00, 0x80});
    CHECK(CommandApdu::verify_reset(0x80).encode() == Bytes{0x00, 0x20, 0xFF, 0x80});
    const Bytes old_pin{1, 2}, new_pin{3, 4};
    CHECK(CommandApdu::change_reference_data(0x81, old_pin, new_pin).encode() ==
          Bytes{0x00, 0x24, 0x00, 0x81, 0x04, 1, 2, 3, 4});
    CHECK(CommandApdu::reset_retry_counter(0x80, old_pin, new_pin).encode() ==
          Bytes{0x00, 0x2C, 0x00, 0x80, 0x04, 1, 2, 3, 4});
    const Bytes templ{0x7C, 0x04, 0x82, 0x00, 0x81, 0x00};
    CHECK(CommandApdu::general_authenticate(0x11, 0x9A, templ).encode() ==
          join({0x00, 0x87, 0x11, 0x9A, 0x06}, join(templ, {0x00})));
}

TEST_CASE("responses split data from the status word") {
    const ResponseApdu r = ResponseApdu::parse(Bytes{0x01, 0x02, 0x61, 0x10});
    CHECK(r.data() == Bytes{0x01, 0x02});
    CHECK(r.sw().bytes_remaining() == 16);
    CHECK(r.encode() == Bytes{0x01, 0x02, 0x61, 0x10});
    CHECK(ResponseApdu::parse(Bytes{0x90, 0x00}).data().empty());
    CHECK(ResponseApdu(sw::kNotFound).encode() == Bytes{0x6A, 0x82});
    CHECK_THROWS_AS(ResponseApdu::parse(Bytes{0x90}), Error);
    CHECK_THROWS_AS(ResponseApdu::parse(Bytes{}), Error);
}

TEST_CASE("hex text: upper case out, either case in, odd length and non-digits refused") {
    const Bytes atr{0x3B, 0x8C, 0x01, 0xFF};
    CHECK(cardbridge::protocol::to_hex(atr) == "3B8C01FF");
    CHECK(cardbridge::protocol::to_hex({}) == "");
    CHECK(cardbridge::protocol::from_hex("3b8c01Ff") == atr);
    CHECK_FALSE(cardbridge::protocol::from_hex("3B8").has_value());
    CHECK_FALSE(cardbridge::protocol::from_hex("3G").has_value());
}
