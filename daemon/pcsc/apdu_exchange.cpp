#include "pcsc/apdu_exchange.hpp"

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon::pcsc {

using protocol::Bytes;
using protocol::CommandApdu;
using protocol::ResponseApdu;

namespace {

// A card that keeps announcing more data would otherwise hold us forever; no PIV object or
// signature comes near this.
constexpr std::size_t kMaxResponseData = 1 << 20;

// The encoded command holds whatever the command does, a PIN included: wiped however the
// exchange ends.
struct EncodedCommand {
    explicit EncodedCommand(const CommandApdu& command) : bytes(command.encode()) {}
    ~EncodedCommand() { protocol::wipe(bytes); }
    EncodedCommand(const EncodedCommand&) = delete;
    EncodedCommand& operator=(const EncodedCommand&) = delete;
    Bytes bytes;
};

ResponseApdu send(const Transmit& transmit, const CommandApdu& command) {
    const EncodedCommand encoded(command);
    const Bytes raw = transmit(encoded.bytes);
    return ResponseApdu::parse(raw);  // fewer than two bytes: Error(CARD_ERROR)
}

CommandApdu with_ne(const CommandApdu& command, std::size_t ne) {
    return CommandApdu(command.cla(), command.ins(), command.p1(), command.p2(), command.data(),
                       ne);
}

}  // namespace

ResponseApdu exchange(const Transmit& transmit, const CommandApdu& command) {
    std::vector<CommandApdu> links = command.chain();
    for (std::size_t i = 0; i + 1 < links.size(); ++i) {
        ResponseApdu answer = send(transmit, links[i]);
        if (!answer.sw().ok()) return answer;
    }

    CommandApdu current = std::move(links.back());
    Bytes collected;
    bool repeated = false;
    for (;;) {
        ResponseApdu answer = send(transmit, current);
        if (const auto exact = answer.sw().exact_length()) {
            // The card tells us the Le it wants; asking again with it is the whole protocol.
            // A second 6Cxx for the repeat means the card contradicts itself.
            if (repeated) throw Error(Reason::CARD_ERROR, "card answered 6Cxx twice in a row");
            repeated = true;
            current = with_ne(current, *exact);
            continue;
        }
        repeated = false;
        collected.insert(collected.end(), answer.data().begin(), answer.data().end());
        if (collected.size() > kMaxResponseData)
            throw Error(Reason::CARD_ERROR, "card answered with more than 1 MiB of data");
        if (const auto remaining = answer.sw().bytes_remaining()) {
            current = CommandApdu::get_response(*remaining);
            continue;
        }
        return ResponseApdu(std::move(collected), answer.sw());
    }
}

}  // namespace cardbridge::daemon::pcsc
