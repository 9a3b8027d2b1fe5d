#include "card.hpp"

#include <variant>

#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/error.hpp"
#include "chaining.hpp"
#include "piv.hpp"
#include "piv_applet.hpp"
#include "profile.hpp"

namespace cardbridge::vcard {
namespace {

using protocol::CommandApdu;
using protocol::ResponseApdu;
using protocol::StatusWord;
namespace sw = protocol::sw;

protocol::Bytes answer(StatusWord status) {
    return ResponseApdu(status).encode();
}

}  // namespace

struct Card::State {
    PivApplet applet;
    CommandChain commands;
    ResponseChain responses;

    void end_session() noexcept {
        applet.end_session();
        commands.clear();
        responses.clear();
    }

    protocol::Bytes transmit(const CommandApdu& command) {
        // Interindustry class only, with or without chaining: no secure messaging, no
        // proprietary classes.
        if ((command.cla() & ~CommandApdu::kChainingBit) != 0) {
            commands.clear();
            return answer(sw::kClaNotSupported);
        }
        if (command.ins() == piv::ins::kGetResponse && !command.chained()) {
            commands.clear();
            return responses.get_response(command);
        }
        responses.clear();
        auto joined = commands.add(command);
        if (const auto* status = std::get_if<StatusWord>(&joined)) return answer(*status);
        const auto& whole = std::get<CommandApdu>(joined);
        return responses.deliver(whole, applet.process(whole));
    }
};

Card::Card(std::unique_ptr<State> state) : state_(std::move(state)) {}
Card::Card(Card&&) noexcept = default;
Card& Card::operator=(Card&&) noexcept = default;
Card::~Card() = default;

Card Card::load(const std::filesystem::path& profile_dir) {
    return Card(std::make_unique<State>(State{PivApplet(load_profile(profile_dir)), {}, {}}));
}

const std::vector<std::uint8_t>& Card::atr() const noexcept {
    return state_->applet.atr();
}

void Card::power_on() {
    state_->end_session();
}
void Card::power_off() {
    state_->end_session();
}
void Card::reset() {
    state_->end_session();
}

std::vector<std::uint8_t> Card::transmit(std::span<const std::uint8_t> command) {
    std::optional<CommandApdu> parsed;
    try {
        parsed = CommandApdu::parse(command);
    } catch (const Error&) {
        state_->commands.clear();
        state_->responses.clear();
        return answer(sw::kWrongLength);  // Lc or Le do not fit the length received
    }
    try {
        return state_->transmit(*parsed);
    } catch (...) {
        // A fault of the card (OpenSSL failing, memory): a real card says "no diagnosis"
        // and stays usable; the client sees the status word, not a dead reader.
        state_->commands.clear();
        state_->responses.clear();
        return answer(sw::kNoPreciseDiagnosis);
    }
}

}  // namespace cardbridge::vcard
