// Answers the virtual card never gives but real cards do: no PIV application, no CHUID,
// compressed certificates, odd status words and malformed signatures.
#include <doctest/doctest.h>

#include "../unit/expect_error.hpp"
#include "cardbridge/protocol/tlv.hpp"
#include "piv_fixture.hpp"
#include "tokens/piv_card.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
using cardbridge::test::answer;
using cardbridge::test::ScriptedCard;
using protocol::Bytes;
using protocol::Tag;
using protocol::TlvWriter;

namespace {

const Bytes kSelected = answer({0x61, 0x03, 0x4F, 0x01, 0x00}, 0x9000);

Bytes data_object(const TlvWriter& content) {
    return std::move(TlvWriter().add(Tag(0x53), content)).bytes();
}

Bytes chuid() {
    const Bytes guid(16, 0xAB);
    return answer(data_object(TlvWriter().add(Tag(0x34), guid)), 0x9000);
}

Bytes certificate_object(std::uint8_t cert_info) {
    const Bytes der = test::read_file(test::pki_card("trade-legal-p256") / "9a.crt.der");
    TlvWriter content;
    content.add(Tag(0x70), der).add_byte(Tag(0x71), cert_info).add_empty(Tag(0xFE));
    return answer(data_object(content), 0x9000);
}

std::string message_of(const Error& e) {
    return e.what();
}

}  // namespace

TEST_CASE("piv: a card without the PIV application is an unsupported token") {
    for (const std::uint16_t status : {0x6A82, 0x6D00, 0x6E00}) {
        ScriptedCard card({answer(status)});
        CHECK(reason_of_call([&] { piv::read_snapshot(card.transmit()); }) == Reason::UNSUPPORTED_TOKEN);
    }
    ScriptedCard no_chuid({kSelected, answer(0x6A82)});
    CHECK(reason_of_call([&] { piv::read_snapshot(no_chuid.transmit()); }) == Reason::UNSUPPORTED_TOKEN);
}

TEST_CASE("piv: only empty certificate slots are skipped") {
    SUBCASE("6A82 and an empty tag 70 are empty slots") {
        ScriptedCard card({kSelected, chuid(), answer(0x6A82), certificate_object(0x00),
                           answer(data_object(TlvWriter().add_empty(Tag(0x70))), 0x9000),
                           answer(0x6A82)});
        const TokenSnapshot s = piv::read_snapshot(card.transmit());
        CHECK(s.id == "piv:abababababababababababababababab");
        REQUIRE(s.certificates.size() == 1);
        CHECK(s.certificates[0].key == "9C");
        CHECK(login_certificate(s) == &s.certificates[0]);
    }
    SUBCASE("a compressed certificate") {
        ScriptedCard card({kSelected, chuid(), certificate_object(0x01)});
        const Error e = error_of([&] { piv::read_snapshot(card.transmit()); });
        CHECK(e.reason() == Reason::UNSUPPORTED_TOKEN);
        CHECK(message_of(e) ==
              "the certificate in slot 9A is stored compressed, which cardbridge does not read");
    }
    SUBCASE("a status word no PIV card should give names the command") {
        ScriptedCard card({kSelected, chuid(), answer(0x6F00)});
        const Error e = error_of([&] { piv::read_snapshot(card.transmit()); });
        CHECK(e.reason() == Reason::CARD_ERROR);
        CHECK(message_of(e) == "the card answered GET DATA (certificate 9A) with 6F00");
    }
    SUBCASE("a certificate that does not parse") {
        ScriptedCard card(
            {kSelected, chuid(),
             answer(data_object(TlvWriter().add(Tag(0x70), Bytes{0x30, 0x03, 0x02, 0x01, 0x01})),
                    0x9000)});
        CHECK(reason_of_call([&] { piv::read_snapshot(card.transmit()); }) == Reason::CARD_ERROR);
    }
}

TEST_CASE("piv: a GENERAL AUTHENTICATE answer that is not a signature is a card error") {
    ScriptedCard reader({kSelected, chuid(), certificate_object(0x00), answer(0x6A82),
                         answer(0x6A82), answer(0x6A82)});
    const TokenSnapshot s = piv::read_snapshot(reader.transmit());
    const CertificateInfo& key = s.certificates.at(0);
    const Bytes message = {'m'};
    const auto sign_with = [&](const Bytes& card_answer) {
        ScriptedCard card({card_answer});
        return reason_of_call([&] {
            piv::sign_value(card.transmit(), key, message);
        });
    };
    const auto response = [](const Bytes& signature) {
        TlvWriter inner;
        inner.add(Tag(0x82), signature);
        return answer(std::move(TlvWriter().add(Tag(0x7C), inner)).bytes(), 0x9000);
    };
    CHECK(sign_with(response({0x01, 0x02})) == Reason::CARD_ERROR);        // not DER
    CHECK(sign_with(response({})) == Reason::CARD_ERROR);                  // empty
    CHECK(sign_with(answer({0x7C, 0x00}, 0x9000)) == Reason::CARD_ERROR);  // no tag 82
    CHECK(sign_with(answer(0x6A80)) == Reason::CARD_ERROR);
    CHECK(sign_with(answer(0x6982)) == Reason::NOT_PERMITTED);
}

TEST_CASE("piv: GENERAL AUTHENTICATE carries 7C { 82 00, 81 challenge } for the slot's algorithm") {
    ScriptedCard reader({kSelected, chuid(), certificate_object(0x00), answer(0x6A82),
                         answer(0x6A82), answer(0x6A82)});
    const TokenSnapshot s = piv::read_snapshot(reader.transmit());
    const Bytes hash(32, 0x11);
    ScriptedCard card({answer(0x6A80)});
    CHECK_THROWS_AS(piv::sign_value(card.transmit(), s.certificates.at(0), hash), Error);
    // CLA INS, P1 = P-256, P2 = slot 9A, Lc, the template, the hash, Le.
    const std::uint8_t header[] = {0x00, 0x87, 0x11, 0x9A, 0x26, 0x7C,
                                   0x24, 0x82, 0x00, 0x81, 0x20};
    Bytes expected(std::size(header) + hash.size() + 1, 0x11);
    std::copy(std::begin(header), std::end(header), expected.begin());
    expected.back() = 0x00;
    CHECK(card.sent().at(0) == expected);
}
