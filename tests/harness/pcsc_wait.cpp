// pcsc-wait --timeout-ms N READER...: exits 0 once every named reader shows a card, 1 when the
// time runs out first (naming the reader), for vcard-env to know its cards are ready.

#include <pcsclite.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "cardbridge/protocol/error.hpp"
#include "pcsc_session.hpp"

namespace {

using cardbridge::testing::PcscContext;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// pcscd offers no readiness signal outside systemd, and its socket appears a moment after it
/// starts: retrying the connection is the only way to know it is up.
std::unique_ptr<PcscContext> connect_when_up(Clock::time_point deadline) {
    milliseconds pause{5};
    while (true) {
        try {
            return std::make_unique<PcscContext>();
        } catch (const cardbridge::Error&) {
            if (Clock::now() + pause >= deadline) throw;
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, milliseconds{100});
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4 || std::string_view(argv[1]) != "--timeout-ms") {
        std::cerr << "usage: pcsc-wait --timeout-ms N READER...\n";
        return 2;
    }
    long timeout_ms = 0;
    const std::string_view timeout_text(argv[2]);
    std::from_chars(timeout_text.data(), timeout_text.data() + timeout_text.size(), timeout_ms);
    const auto deadline = Clock::now() + milliseconds(timeout_ms);
    try {
        const auto context = connect_when_up(deadline);
        for (int i = 3; i < argc; ++i) {
            const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
            cardbridge::testing::wait_for_reader_state(*context, argv[i], SCARD_STATE_PRESENT,
                                                       std::max(left, milliseconds{0}));
        }
        return 0;
    } catch (const cardbridge::Error& error) {
        std::cerr << "pcsc-wait: " << error.what() << '\n';
        return 1;
    }
}
