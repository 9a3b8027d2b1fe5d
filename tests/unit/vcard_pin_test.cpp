// PIN and PUK on the virtual card: VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER, and
// what power cycles keep.
#include <doctest/doctest.h>

#include "vcard_fixture.hpp"

using namespace cardbridge;
using namespace cardbridge::test;
using protocol::Bytes;
using protocol::CommandApdu;
using protocol::StatusWord;
namespace sw = protocol::sw;

namespace {

constexpr std::uint8_t kPinRef = 0x80;
constexpr std::uint8_t kPukRef = 0x81;

struct Fixture {
    TestProfile profile{{{"9e", KeySpec::P256}}};
    vcard::Card card = vcard::Card::load(profile.dir.path());

    StatusWord verify(std::string_view pin) {
        return send(card, CommandApdu::verify(kPinRef, padded(pin))).sw();
    }
    StatusWord pin_status() { return send(card, CommandApdu::verify_status(kPinRef)).sw(); }
    StatusWord puk_status() { return send(card, CommandApdu::verify_status(kPukRef)).sw(); }
    StatusWord unblock(std::string_view puk, std::string_view new_pin) {
        return send(card, CommandApdu::reset_retry_counter(kPinRef, ascii(puk), padded(new_pin)))
            .sw();
    }
    void block_pin() {
        for (int i = kRetries - 1; i >= 0; --i) REQUIRE(verify("000000") == StatusWord::retries(i));
    }
    bool printed_readable() {
        return exchange(card, CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x09})).sw().ok();
    }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "VERIFY: a wrong PIN counts down and the right PIN verifies") {
    CHECK(pin_status() == StatusWord::retries(kRetries));
    CHECK(verify("654321") == StatusWord::retries(kRetries - 1));
    CHECK(pin_status() == StatusWord::retries(kRetries - 1));
    CHECK(verify(kPin) == sw::kOk);
    CHECK(pin_status() == sw::kOk);
    // A right PIN restores the counter: three more wrong tries are allowed.
    CHECK(verify("654321") == StatusWord::retries(kRetries - 1));
    CHECK(pin_status() == StatusWord::retries(kRetries - 1));  // a failure also un-verifies
    CHECK(verify(kPin) == sw::kOk);

    // P1 FF forgets the verification without touching the counter.
    CHECK(send(card, CommandApdu::verify_reset(kPinRef)).sw() == sw::kOk);
    CHECK(pin_status() == StatusWord::retries(kRetries));
}

TEST_CASE_FIXTURE(Fixture, "VERIFY: a blocked PIN answers 6983 even to the right PIN") {
    block_pin();
    CHECK(verify(kPin) == sw::kAuthenticationBlocked);
    CHECK(verify("000000") == sw::kAuthenticationBlocked);
    CHECK(pin_status() == sw::kAuthenticationBlocked);
}

TEST_CASE_FIXTURE(Fixture, "VERIFY: malformed PINs and references are refused without a try") {
    CHECK(send(card, CommandApdu::verify(kPinRef, ascii("1234567"))).sw() == sw::kWrongData);
    CHECK(send(card, CommandApdu::verify(kPinRef, ascii("123456789"))).sw() == sw::kWrongData);
    CHECK(send(card, CommandApdu::verify(kPinRef, padded("12345"))).sw() == sw::kWrongData);
    CHECK(send(card, CommandApdu::verify(kPinRef, padded("12a456"))).sw() == sw::kWrongData);
    CHECK(send(card, CommandApdu::verify(kPinRef, Bytes{'1', '2', '3', '4', '5', '6', 0xFF, '7'}))
              .sw() == sw::kWrongData);
    CHECK(send(card, CommandApdu::verify(0x00, padded(kPin))).sw() == sw::kReferenceNotFound);
    CHECK(send(card, CommandApdu::verify(0x9A, padded(kPin))).sw() == sw::kReferenceNotFound);
    CHECK(send(card, CommandApdu(0x00, 0x20, 0x01, kPinRef, padded(kPin))).sw() ==
          sw::kIncorrectP1P2);
    CHECK(send(card, CommandApdu(0x00, 0x20, 0xFF, kPinRef, padded(kPin))).sw() ==
          sw::kWrongLength);
    CHECK(pin_status() == StatusWord::retries(kRetries));
}

TEST_CASE_FIXTURE(Fixture, "the PUK resets a blocked PIN and a wrong PUK counts down and blocks") {
    block_pin();
    CHECK(unblock("00000000", "111111") == StatusWord::retries(kRetries - 1));
    CHECK(puk_status() == StatusWord::retries(kRetries - 1));
    CHECK(unblock(kPuk, "1234") == sw::kWrongData);  // new PIN too short: no try spent
    CHECK(puk_status() == StatusWord::retries(kRetries - 1));
    CHECK(unblock(kPuk, "24682468") == sw::kOk);
    CHECK(puk_status() == sw::kOk);  // the PUK itself was just verified
    CHECK(pin_status() == StatusWord::retries(kRetries));
    CHECK(verify(kPin) == StatusWord::retries(kRetries - 1));
    CHECK(verify("24682468") == sw::kOk);

    for (int i = kRetries - 1; i >= 0; --i)
        CHECK(unblock("00000000", "111111") == StatusWord::retries(i));
    CHECK(unblock(kPuk, "111111") == sw::kAuthenticationBlocked);
    CHECK(puk_status() == sw::kAuthenticationBlocked);
    CHECK(
        send(card, CommandApdu::reset_retry_counter(kPukRef, ascii(kPuk), padded("111111"))).sw() ==
        sw::kReferenceNotFound);
    CHECK(send(card, CommandApdu(0x00, 0x2C, 0x00, kPinRef, ascii(kPuk))).sw() == sw::kWrongData);
}

TEST_CASE_FIXTURE(Fixture, "CHANGE REFERENCE DATA changes the PIN and the PUK") {
    const auto change = [&](std::uint8_t ref, const Bytes& old_value, const Bytes& new_value) {
        return send(card, CommandApdu::change_reference_data(ref, old_value, new_value)).sw();
    };
    CHECK(change(kPinRef, padded("000000"), padded("55555555")) ==
          StatusWord::retries(kRetries - 1));
    CHECK(change(kPinRef, padded(kPin), padded("55a55")) == sw::kWrongData);
    CHECK(pin_status() == StatusWord::retries(kRetries - 1));
    CHECK(change(kPinRef, padded(kPin), padded("55555555")) == sw::kOk);
    CHECK(verify(kPin) == StatusWord::retries(kRetries - 1));
    CHECK(verify("55555555") == sw::kOk);

    CHECK(change(kPukRef, ascii("00000000"), ascii("ABCDEFGH")) ==
          StatusWord::retries(kRetries - 1));
    CHECK(change(kPukRef, ascii(kPuk), ascii("ABCDEFGH")) == sw::kOk);
    CHECK(unblock(kPuk, "111111") == StatusWord::retries(kRetries - 1));
    CHECK(unblock("ABCDEFGH", "111111") == sw::kOk);
    CHECK(verify("111111") == sw::kOk);

    CHECK(change(0x9C, padded(kPin), padded(kPin)) == sw::kReferenceNotFound);
    CHECK(send(card, CommandApdu(0x00, 0x24, 0x01, kPinRef, padded(kPin))).sw() ==
          sw::kIncorrectP1P2);
    CHECK(send(card, CommandApdu(0x00, 0x24, 0x00, kPinRef, padded(kPin))).sw() == sw::kWrongData);
}

TEST_CASE_FIXTURE(Fixture, "power cycles and resets forget the verification but not the counters") {
    CHECK(verify("000000") == StatusWord::retries(kRetries - 1));
    CHECK(unblock("00000000", "111111") == StatusWord::retries(kRetries - 1));
    CHECK(verify(kPin) == sw::kOk);
    CHECK(printed_readable());
    CHECK(verify("000000") == StatusWord::retries(kRetries - 1));

    card.power_off();
    card.power_on();
    CHECK(pin_status() == StatusWord::retries(kRetries - 1));
    CHECK(puk_status() == StatusWord::retries(kRetries - 1));
    CHECK(verify(kPin) == sw::kOk);
    card.reset();
    CHECK(pin_status() == StatusWord::retries(kRetries));
    CHECK_FALSE(printed_readable());

    block_pin();
    card.power_off();
    card.power_on();
    CHECK(verify(kPin) == sw::kAuthenticationBlocked);
}

TEST_CASE_FIXTURE(Fixture, "Printed Information is read only after the PIN") {
    CHECK(send(card, CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x09})).sw() ==
          sw::kSecurityStatusNotSatisfied);
    REQUIRE(verify(kPin) == sw::kOk);
    const auto r = exchange(card, CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x09}));
    REQUIRE(r.sw() == sw::kOk);
    const auto content = protocol::expect_tlv(r.data(), protocol::Tag(0x53));
    CHECK(to_bytes(*protocol::find_tlv(content, protocol::Tag(0x01))) == ascii("张测试"));
    CHECK(to_bytes(*protocol::find_tlv(content, protocol::Tag(0x07))) ==
          ascii("测试进出口贸易有限公司"));
}
