// The virtual card as a PIV client meets it: probes, SELECT, the data objects, response and
// command chaining, and garbage on the wire.
#include <doctest/doctest.h>

#include <random>

#include "vcard_fixture.hpp"

using namespace cardbridge;
using namespace cardbridge::test;
using protocol::Bytes;
using protocol::CommandApdu;
using protocol::ResponseApdu;
using protocol::StatusWord;
using protocol::Tag;
namespace sw = protocol::sw;

namespace {

const Bytes kPivAid{0xA0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00};
// What a real PIV card answers to SELECT and to GET DATA 7E (test-stack-notes.md).
const Bytes kPropertyTemplate{0x61, 0x11, 0x4F, 0x06, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00,
                              0x79, 0x07, 0x4F, 0x05, 0xA0, 0x00, 0x00, 0x03, 0x08};
const Bytes kDiscovery{0x7E, 0x12, 0x4F, 0x0B, 0xA0, 0x00, 0x00, 0x03, 0x08, 0x00,
                       0x00, 0x10, 0x00, 0x01, 0x00, 0x5F, 0x2F, 0x02, 0x40, 0x00};
const Bytes kChuidTag{0x5F, 0xC1, 0x02};

struct Fixture {
    TestProfile profile{{{"9a", KeySpec::P256}, {"9c", KeySpec::RSA2048}}};
    vcard::Card card = vcard::Card::load(profile.dir.path());
};

// Certificate container 53 { 70 <DER> 71 01 00 FE 00 } → the DER.
Bytes certificate_in(const Bytes& object) {
    const auto content = protocol::expect_tlv(object, Tag(0x53));
    CHECK(to_bytes(*protocol::find_tlv(content, Tag(0x71))) == Bytes{0x00});
    CHECK(protocol::find_tlv(content, Tag(0xFE))->empty());
    return to_bytes(*protocol::find_tlv(content, Tag(0x70)));
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "the ATR is cardbridge's own and well-formed") {
    const Bytes& atr = card.atr();
    REQUIRE(atr.size() == 16);
    CHECK(atr[0] == 0x3B);
    CHECK(atr != Bytes{0x3B, 0x80, 0x80, 0x01, 0x01});  // OpenSC's "PIVKey, no EC" entry
    std::uint8_t tck = 0;
    for (std::size_t i = 1; i < atr.size(); ++i) tck ^= atr[i];
    CHECK(tck == 0);
    CHECK(std::string(atr.begin() + 5, atr.end() - 1) == "cardbridge");
}

TEST_CASE_FIXTURE(Fixture, "OpenSC's probe sequence finds a PIV card and nothing else") {
    // Other drivers' probes: OpenPGP, a file-ID select, a vendor INS, a proprietary class.
    CHECK(send(card, CommandApdu::select_aid(Bytes{0xD2, 0x76, 0x00, 0x01, 0x24, 0x01})).sw() ==
          sw::kNotFound);
    CHECK(send(card, Bytes{0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00}).sw() == sw::kNotFound);
    CHECK(send(card, Bytes{0x00, 0xFD, 0x00, 0x00, 0x00}).sw() == sw::kInsNotSupported);
    CHECK(send(card, Bytes{0x80, 0xCA, 0x9F, 0x7F, 0x00}).sw() == sw::kClaNotSupported);
    CHECK(send(card, Bytes{0x0C, 0xCB, 0x3F, 0xFF, 0x00}).sw() == sw::kClaNotSupported);

    // Discovery is readable before SELECT; with Le 08 the rest waits behind 61xx.
    const ResponseApdu head =
        send(card, Bytes{0x00, 0xCB, 0x3F, 0xFF, 0x03, 0x5C, 0x01, 0x7E, 0x08});
    CHECK(head.data() == Bytes(kDiscovery.begin(), kDiscovery.begin() + 8));
    CHECK(head.sw() == StatusWord(0x61, 0x0C));
    const ResponseApdu whole =
        send(card, Bytes{0x00, 0xCB, 0x3F, 0xFF, 0x03, 0x5C, 0x01, 0x7E, 0x00});
    CHECK(whole.sw() == sw::kOk);
    CHECK(whole.data() == kDiscovery);

    for (const std::size_t length : {std::size_t{11}, std::size_t{9}, std::size_t{5}}) {
        CAPTURE(length);
        const ResponseApdu r =
            send(card, CommandApdu::select_aid(Bytes(kPivAid.begin(), kPivAid.begin() + length)));
        CHECK(r.sw() == sw::kOk);
        CHECK(r.data() == kPropertyTemplate);
    }
    Bytes other_version = kPivAid;
    other_version.back() = 0x01;
    CHECK(send(card, CommandApdu::select_aid(other_version)).sw() == sw::kNotFound);
    CHECK(send(card, CommandApdu::select_aid(Bytes{0xA0, 0x00, 0x00, 0x03})).sw() == sw::kNotFound);
    Bytes too_long = kPivAid;
    too_long.push_back(0x00);
    CHECK(send(card, CommandApdu::select_aid(too_long)).sw() == sw::kNotFound);
    CHECK(send(card, CommandApdu(0x00, 0xA4, 0x04, 0x04, kPivAid, 256)).sw() == sw::kIncorrectP1P2);
}

TEST_CASE_FIXTURE(
    Fixture, "the CHUID carries the profile's GUID and a FASC-N and an expiry and no signature") {
    const ResponseApdu r = exchange(card, CommandApdu::get_data(kChuidTag));
    REQUIRE(r.sw() == sw::kOk);
    const auto content = protocol::expect_tlv(r.data(), Tag(0x53));
    CHECK(to_bytes(*protocol::find_tlv(content, Tag(0x34))) ==
          Bytes{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD,
                0xEE, 0xFF});
    const auto fascn = protocol::find_tlv(content, Tag(0x30));
    REQUIRE(fascn.has_value());
    CHECK(fascn->size() == 25);
    CHECK((*fascn)[0] == 0xD4);  // start sentinel and agency code 9999 begin every such FASC-N
    CHECK(to_bytes(*protocol::find_tlv(content, Tag(0x35))) == ascii("20991231"));
    CHECK(protocol::find_tlv(content, Tag(0x3E))->empty());
    CHECK(protocol::find_tlv(content, Tag(0xFE))->empty());
}

TEST_CASE_FIXTURE(Fixture, "CCC and key history are present and absent objects are 6A82") {
    const ResponseApdu ccc = exchange(card, CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x07}));
    REQUIRE(ccc.sw() == sw::kOk);
    const auto ccc_content = protocol::expect_tlv(ccc.data(), Tag(0x53));
    const Bytes card_id = to_bytes(*protocol::find_tlv(ccc_content, Tag(0xF0)));
    CHECK(card_id.size() == 21);
    CHECK(Bytes(card_id.begin(), card_id.begin() + 5) == Bytes{0xA0, 0x00, 0x00, 0x01, 0x16});
    CHECK(to_bytes(*protocol::find_tlv(ccc_content, Tag(0xF5))) == Bytes{0x10});

    const ResponseApdu history = exchange(card, CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x0C}));
    REQUIRE(history.sw() == sw::kOk);
    const auto h = protocol::expect_tlv(history.data(), Tag(0x53));
    CHECK(to_bytes(*protocol::find_tlv(h, Tag(0xC1))) == Bytes{0x00});
    CHECK(to_bytes(*protocol::find_tlv(h, Tag(0xC2))) == Bytes{0x00});

    // 9D and 9E hold no key on this card; fingerprints and the security object do not exist.
    for (const Bytes& tag : {Bytes{0x5F, 0xC1, 0x0B}, Bytes{0x5F, 0xC1, 0x01},
                             Bytes{0x5F, 0xC1, 0x03}, Bytes{0x5F, 0xC1, 0x06}}) {
        CHECK(send(card, CommandApdu::get_data(tag)).sw() == sw::kNotFound);
    }
}

TEST_CASE_FIXTURE(Fixture, "GET DATA rejects what is not one tag list with one tag") {
    const auto get_data = [&](Bytes data) {
        return send(card, CommandApdu(0x00, 0xCB, 0x3F, 0xFF, std::move(data), 256)).sw();
    };
    CHECK(get_data({0x5C, 0x02, 0x5F, 0xC1}) == sw::kWrongData);              // tag cut short
    CHECK(get_data({0x5C, 0x04, 0x5F, 0xC1, 0x02, 0x7E}) == sw::kWrongData);  // two tags
    CHECK(get_data({0x4F, 0x01, 0x7E}) == sw::kWrongData);                    // not a tag list
    CHECK(get_data({0x5C, 0x01, 0x7E, 0x00}) == sw::kWrongData);              // trailing byte
    CHECK(get_data({}) == sw::kWrongData);
    CHECK(send(card, CommandApdu(0x00, 0xCB, 0x3F, 0x00, {0x5C, 0x01, 0x7E}, 256)).sw() ==
          sw::kIncorrectP1P2);
}

TEST_CASE_FIXTURE(Fixture, "certificates over 256 bytes reach short-APDU clients through 61xx") {
    const Bytes expected = profile.credentials.at("9c").der();
    REQUIRE(expected.size() > 256);
    const ResponseApdu first = send(card, CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x0A}));
    CHECK(first.data().size() == 256);
    REQUIRE(first.sw().bytes_remaining().has_value());
    const ResponseApdu whole = exchange(card, CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x0A}));
    REQUIRE(whole.sw() == sw::kOk);
    CHECK(certificate_in(whole.data()) == expected);

    // An extended-length client gets the whole object in one answer.
    const ResponseApdu at_once =
        send(card, CommandApdu(0x00, 0xCB, 0x3F, 0xFF, {0x5C, 0x03, 0x5F, 0xC1, 0x0A}, 65536));
    CHECK(at_once.sw() == sw::kOk);
    CHECK(at_once.data() == whole.data());

    const ResponseApdu p256 = exchange(card, CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x05}));
    REQUIRE(p256.sw() == sw::kOk);
    CHECK(certificate_in(p256.data()) == profile.credentials.at("9a").der());
}

TEST_CASE_FIXTURE(Fixture, "GET RESPONSE hands out the rest in the sizes asked for") {
    CHECK(send(card, CommandApdu::get_response(256)).sw() == sw::kConditionsNotSatisfied);

    // The P-256 certificate's container takes one full short answer and part of another.
    const auto read_9a = CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x05});
    const ResponseApdu first = send(card, read_9a);
    CHECK(first.data().size() == 256);
    const std::size_t left = first.sw().bytes_remaining().value_or(0);
    REQUIRE(left > 10);
    REQUIRE(left < 256);

    // Asking for more than is left, exactly, gets 6Cxx with what is left; then it is given.
    const ResponseApdu too_much = send(card, CommandApdu::get_response(left + 1));
    CHECK(too_much.sw() == StatusWord::wrong_le(left));
    CHECK(too_much.data().empty());
    const ResponseApdu part = send(card, CommandApdu::get_response(10));
    CHECK(part.data().size() == 10);
    CHECK(part.sw() == StatusWord::more_data(left - 10));
    const ResponseApdu rest = send(card, CommandApdu::get_response(256));
    CHECK(rest.data().size() == left - 10);
    CHECK(rest.sw() == sw::kOk);
    CHECK(send(card, CommandApdu::get_response(256)).sw() == sw::kConditionsNotSatisfied);

    // Any other command drops what was waiting.
    send(card, read_9a);
    CHECK(send(card, CommandApdu::verify_status(0x80)).sw().retries_left() == kRetries);
    CHECK(send(card, CommandApdu::get_response(256)).sw() == sw::kConditionsNotSatisfied);

    send(card, read_9a);
    CHECK(send(card, Bytes{0x00, 0xC0, 0x00, 0x01, 0x00}).sw() == sw::kIncorrectP1P2);
    CHECK(send(card, Bytes{0x00, 0xC0, 0x00, 0x00}).sw() == sw::kWrongLength);
}

TEST_CASE_FIXTURE(Fixture, "without Le an answer comes as if Le were 00 as T=1 cards do it") {
    // yubico-piv-tool selects with no Le and takes anything but 9000 as failure.
    const ResponseApdu selected =
        send(card, Bytes{0x00, 0xA4, 0x04, 0x00, 0x05, 0xA0, 0x00, 0x00, 0x03, 0x08});
    CHECK(selected.sw() == sw::kOk);
    CHECK(selected.data() == kPropertyTemplate);
    const ResponseApdu certificate =
        send(card, Bytes{0x00, 0xCB, 0x3F, 0xFF, 0x05, 0x5C, 0x03, 0x5F, 0xC1, 0x0A});
    CHECK(certificate.data().size() == 256);
    CHECK(certificate.sw().bytes_remaining().has_value());
}

TEST_CASE_FIXTURE(Fixture, "command chains must stay one command and stay bounded") {
    // A chain interrupted by another command is dropped with 6883.
    CHECK(send(card, CommandApdu(0x10, 0x87, 0x11, 0x9A, Bytes(10, 0))).sw() == sw::kOk);
    CHECK(send(card, CommandApdu::verify_status(0x80)).sw() == sw::kLastCommandOfChainExpected);
    CHECK(send(card, CommandApdu::verify_status(0x80)).sw().retries_left() == kRetries);

    // A chain longer than any command the card takes is refused.
    for (int i = 0; i < 16; ++i)
        REQUIRE(send(card, CommandApdu(0x10, 0x87, 0x11, 0x9A, Bytes(255, 0))).sw() == sw::kOk);
    CHECK(send(card, CommandApdu(0x10, 0x87, 0x11, 0x9A, Bytes(255, 0))).sw() == sw::kWrongLength);
    CHECK(send(card, CommandApdu::verify_status(0x80)).sw().retries_left() == kRetries);
}

TEST_CASE_FIXTURE(Fixture, "malformed APDUs get a status word and never an exception") {
    CHECK(send(card, Bytes{0x00, 0xA4}).sw() == sw::kWrongLength);
    CHECK(send(card, Bytes{0x00, 0xA4, 0x04, 0x00, 0x05, 0xA0}).sw() == sw::kWrongLength);
    CHECK(send(card, Bytes{0x00, 0xA4, 0x04, 0x00, 0x00, 0x00}).sw() == sw::kWrongLength);
    CHECK(card.transmit(Bytes{}) == Bytes{0x67, 0x00});

    std::mt19937 random(7);
    for (int i = 0; i < 2000; ++i) {
        Bytes apdu(random() % 300);
        for (auto& b : apdu) b = static_cast<std::uint8_t>(random());
        if (apdu.size() > 1 && i % 2 == 0) apdu[0] = 0x00;  // mostly past the CLA check
        if (apdu.size() > 2 && i % 4 == 0)
            apdu[1] = std::array<std::uint8_t, 6>{0xA4, 0xCB, 0x20, 0x24, 0x2C, 0x87}[random() % 6];
        Bytes answer;
        REQUIRE_NOTHROW(answer = card.transmit(apdu));
        REQUIRE(answer.size() >= 2);
    }
    // The card is still fine afterwards.
    CHECK(exchange(card, CommandApdu::get_data(kChuidTag)).sw() == sw::kOk);
}
