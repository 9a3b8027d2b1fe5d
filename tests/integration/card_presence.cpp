// card_presence: pulling the harness's first card through its control channel shows in PC/SC
// as an empty reader, and a transmit on the pulled card fails; reinserting it shows a present
// card that answers again. Prints how long each change took to show.

#include <chrono>
#include <iostream>
#include <string>

#include "cardbridge/protocol/error.hpp"
#include "control_client.hpp"
#include "expect.hpp"
#include "pcsc_session.hpp"
#include "test_apdus.hpp"

namespace {

using namespace cardbridge::testing;
using cardbridge::vcard::send_control_command;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// vpcd notices removal at its next presence poll, about every 400 ms.
constexpr milliseconds kChangeTimeout{5000};

void command(const std::string& control, const std::string& line, const std::string& state) {
    const auto reply = send_control_command(control, line);
    expect(reply.starts_with("ok state=" + state), line + " answered: " + reply);
}

}  // namespace

int main() {
    try {
        const auto reader = required_env("CARDBRIDGE_VCARD1_READER");
        const auto control = required_env("CARDBRIDGE_VCARD1_CONTROL");
        const PcscContext context;

        PcscCard pulled(context, reader);
        expect(pulled.transmit(kSelectPiv).size() >= 2, "the card did not answer before removal");
        const auto removed_at = Clock::now();
        command(control, "remove", "removed");
        const DWORD empty =
            wait_for_reader_state(context, reader, SCARD_STATE_EMPTY, kChangeTimeout);
        expect((empty & SCARD_STATE_PRESENT) == 0, "reader is EMPTY and PRESENT at once");
        const auto removal_ms = ms_since(removed_at);
        std::vector<std::uint8_t> response;
        const LONG stale = pulled.transmit(kSelectPiv, response);
        expect(stale != SCARD_S_SUCCESS, "a transmit on the pulled card succeeded");

        const auto inserted_at = Clock::now();
        command(control, "insert", "");
        wait_for_reader_state(context, reader, SCARD_STATE_PRESENT, kChangeTimeout);
        const auto insertion_ms = ms_since(inserted_at);
        PcscCard reinserted(context, reader);
        expect(reinserted.transmit(kSelectPiv).size() >= 2, "the reinserted card did not answer");

        std::cout << "card_presence: EMPTY " << removal_ms << " ms after remove, PRESENT "
                  << insertion_ms << " ms after insert; the pulled card's handle got "
                  << pcsc_stringify_error(stale) << '\n';
        return 0;
    } catch (const cardbridge::Error& error) {
        std::cerr << "card_presence: " << error.what() << '\n';
        return 1;
    }
}
