// card_faults: a card told to answer slowly makes SCardTransmit take that long, and a muted
// card holds SCardTransmit until it is unmuted; both are what the daemon's timeouts are for.

#include <chrono>
#include <future>
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

constexpr milliseconds kDelay{150};
constexpr milliseconds kMuted{300};

void command(const std::string& control, const std::string& line) {
    const auto reply = send_control_command(control, line);
    expect(reply.starts_with("ok "), line + " answered: " + reply);
}

milliseconds timed_select(PcscCard& card) {
    const auto start = Clock::now();
    expect(card.transmit(kSelectPiv).size() >= 2, "the card gave no status word");
    return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

}  // namespace

int main() {
    try {
        const auto control = required_env("CARDBRIDGE_VCARD1_CONTROL");
        const PcscContext context;
        PcscCard card(context, required_env("CARDBRIDGE_VCARD1_READER"));

        command(control, "delay " + std::to_string(kDelay.count()));
        const auto slow = timed_select(card);
        command(control, "delay 0");
        expect(slow >= kDelay, "a delayed answer came after " + std::to_string(slow.count()) +
                                   " ms, before the delay of " + std::to_string(kDelay.count()));
        const auto fast = timed_select(card);
        expect(fast < kDelay,
               "after delay 0 an answer still took " + std::to_string(fast.count()) + " ms");

        command(control, "mute");
        auto held = std::async(std::launch::async, [&card] { return timed_select(card); });
        expect(held.wait_for(kMuted) == std::future_status::timeout,
               "a muted card answered within " + std::to_string(kMuted.count()) + " ms");
        command(control, "unmute");
        const auto released = held.get();

        std::cout << "card_faults: delay " << kDelay.count() << " ms gave an answer in "
                  << slow.count() << " ms (then " << fast.count()
                  << " ms without); a muted card held SCardTransmit for " << released.count()
                  << " ms until unmuted\n";
        return 0;
    } catch (const cardbridge::Error& error) {
        std::cerr << "card_faults: " << error.what() << '\n';
        return 1;
    }
}
