#include <doctest/doctest.h>

#include <cstddef>
#include <utility>
#include <vector>

#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/error.hpp"
#include "pcsc/apdu_exchange.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::pcsc;
using protocol::Bytes;
using protocol::ByteView;
using protocol::CommandApdu;
using protocol::ResponseApdu;
using protocol::StatusWord;

namespace {

// A card that expects exactly these commands in this order and gives these answers.
class ScriptedCard {
public:
    ScriptedCard(std::vector<std::pair<Bytes, Bytes>> script) : script_(std::move(script)) {}

    Transmit transmit() {
        return [this](ByteView command) {
            REQUIRE_MESSAGE(next_ < script_.size(),
                            "the card was sent more commands than scripted");
            const auto& [expected, answer] = script_[next_++];
            CHECK(Bytes(command.begin(), command.end()) == expected);
            return answer;
        };
    }
    bool finished() const { return next_ == script_.size(); }

private:
    std::vector<std::pair<Bytes, Bytes>> script_;
    std::size_t next_ = 0;
};

Bytes filled(std::size_t count, std::uint8_t first) {
    Bytes bytes(count);
    for (std::size_t i = 0; i < count; ++i) bytes[i] = static_cast<std::uint8_t>(first + i);
    return bytes;
}

Bytes answer(const Bytes& data, StatusWord sw) {
    return ResponseApdu(data, sw).encode();
}

Bytes concat(const Bytes& a, const Bytes& b) {
    Bytes out = a;
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

const Bytes kCertTag = {0x5F, 0xC1, 0x05};

Reason reason_of_exchange(ScriptedCard& card, const CommandApdu& command) {
    try {
        exchange(card.transmit(), command);
    } catch (const Error& error) {
        return error.reason();
    }
    FAIL("the exchange did not throw cardbridge::Error");
    return Reason::INTERNAL;
}

}  // namespace

TEST_CASE("61xx twice: GET RESPONSE until done, the data concatenated in order") {
    const auto get_data = CommandApdu::get_data(kCertTag);
    const Bytes part1 = filled(256, 0x00), part2 = filled(256, 0x40), part3 = filled(40, 0x80);
    ScriptedCard card({
        {get_data.encode(), answer(part1, StatusWord::more_data(296))},
        {CommandApdu::get_response(256).encode(), answer(part2, StatusWord::more_data(40))},
        {CommandApdu::get_response(40).encode(), answer(part3, protocol::sw::kOk)},
    });
    const ResponseApdu response = exchange(card.transmit(), get_data);
    CHECK(response.sw() == protocol::sw::kOk);
    CHECK(response.data() == concat(concat(part1, part2), part3));
    CHECK(card.finished());
}

TEST_CASE("6Cxx: the command is sent again with the Le the card asked for") {
    const CommandApdu command(0x00, 0xCA, 0x01, 0x02, {}, 256);
    const Bytes data = filled(17, 0x10);
    ScriptedCard card({
        {command.encode(), answer({}, StatusWord::wrong_le(17))},
        {CommandApdu(0x00, 0xCA, 0x01, 0x02, {}, 17).encode(), answer(data, protocol::sw::kOk)},
    });
    const ResponseApdu response = exchange(card.transmit(), command);
    CHECK(response == ResponseApdu(data, protocol::sw::kOk));
    CHECK(card.finished());
}

TEST_CASE("a GET RESPONSE answered with 6Cxx is repeated with that Le, keeping what came before") {
    const auto get_data = CommandApdu::get_data(kCertTag);
    const Bytes part1 = filled(256, 0x00), part2 = filled(10, 0xA0);
    ScriptedCard card({
        {get_data.encode(), answer(part1, StatusWord::more_data(256))},
        {CommandApdu::get_response(256).encode(), answer({}, StatusWord::wrong_le(10))},
        {CommandApdu::get_response(10).encode(), answer(part2, protocol::sw::kOk)},
    });
    CHECK(exchange(card.transmit(), get_data).data() == concat(part1, part2));
    CHECK(card.finished());
}

TEST_CASE("a 300-byte command goes out as two chained links; only the last carries Le") {
    const Bytes data = filled(300, 0x01);
    const CommandApdu command(0x00, 0xDB, 0x3F, 0xFF, data, 256);
    const Bytes first(data.begin(), data.begin() + 255), rest(data.begin() + 255, data.end());
    ScriptedCard card({
        {CommandApdu(0x10, 0xDB, 0x3F, 0xFF, first).encode(), answer({}, protocol::sw::kOk)},
        {CommandApdu(0x00, 0xDB, 0x3F, 0xFF, rest, 256).encode(), answer({}, protocol::sw::kOk)},
    });
    CHECK(exchange(card.transmit(), command) == ResponseApdu(protocol::sw::kOk));
    CHECK(card.finished());
}

TEST_CASE("a chain link the card refuses ends the exchange with that refusal") {
    const Bytes data = filled(300, 0x01);
    const CommandApdu command(0x00, 0xDB, 0x3F, 0xFF, data);
    const Bytes first(data.begin(), data.begin() + 255);
    ScriptedCard card({
        {CommandApdu(0x10, 0xDB, 0x3F, 0xFF, first).encode(),
         answer({}, protocol::sw::kSecurityStatusNotSatisfied)},
    });
    CHECK(exchange(card.transmit(), command).sw() == protocol::sw::kSecurityStatusNotSatisfied);
    CHECK(card.finished());
}

TEST_CASE("an error status word is the card's answer, returned as it is") {
    const auto verify =
        CommandApdu::verify(0x80, Bytes{'1', '2', '3', '4', 0xFF, 0xFF, 0xFF, 0xFF});
    ScriptedCard card({{verify.encode(), answer({}, StatusWord::retries(2))}});
    const ResponseApdu response = exchange(card.transmit(), verify);
    CHECK(response.sw().retries_left() == 2);
    CHECK(response.data().empty());
    CHECK(card.finished());
}

TEST_CASE("a malformed answer is a CARD_ERROR") {
    const auto get_data = CommandApdu::get_data(kCertTag);
    SUBCASE("one byte instead of a status word") {
        ScriptedCard card({{get_data.encode(), Bytes{0x90}}});
        CHECK(reason_of_exchange(card, get_data) == Reason::CARD_ERROR);
    }
    SUBCASE("6Cxx answered to the repeat as well") {
        const CommandApdu command(0x00, 0xCA, 0x01, 0x02, {}, 256);
        ScriptedCard card({
            {command.encode(), answer({}, StatusWord::wrong_le(17))},
            {CommandApdu(0x00, 0xCA, 0x01, 0x02, {}, 17).encode(),
             answer({}, StatusWord::wrong_le(17))},
        });
        CHECK(reason_of_exchange(card, command) == Reason::CARD_ERROR);
    }
}
