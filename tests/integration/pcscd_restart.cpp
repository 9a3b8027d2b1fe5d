// pcscd_restart PCSCD_CTL: pcscd stopped and started again (tests/harness/pcscd-ctl) under a
// running ReaderMonitor, twice: at once, then after pcscd stayed away long enough for several of
// the monitor's attempts to fail. The monitor must report the card and its reader gone when
// pcscd stops, both back when it returns, and nothing else, without anyone restarting it; a
// fresh Context must then reach the card. Prints how long each step took.

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/error.hpp"
#include "expect.hpp"
#include "pcsc/apdu_exchange.hpp"
#include "pcsc/card_handle.hpp"
#include "pcsc/context.hpp"
#include "pcsc/reader_monitor.hpp"
#include "pcsc_session.hpp"
#include "reader_events.hpp"

extern char** environ;

namespace {

using namespace cardbridge;
using namespace cardbridge::daemon::pcsc;
using cardbridge::testing::EventLog;
using cardbridge::testing::expect;
using cardbridge::testing::ms_since;
using cardbridge::testing::required_env;
using protocol::Bytes;
using protocol::CommandApdu;
using Kind = ReaderEvent::Kind;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Covers the monitor's longest wait between two attempts (Backoff::max, 2 s) plus pcscd's start.
constexpr milliseconds kEventTimeout{10000};
// Past the monitor's attempts 250, 750 and 1750 ms after pcscd went (Backoff's defaults).
constexpr milliseconds kAway{2000};
const Bytes kPivAid = {0xA0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00};

long long ms_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration_cast<milliseconds>(to - from).count();
}

// Runs `pcscd-ctl verb`, which returns once the change is complete, and says how long it took.
long long pcscd_ctl(const std::string& program, const char* verb) {
    const auto started = Clock::now();
    char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>(verb), nullptr};
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv, environ);
    expect(spawned == 0, "cannot run " + program + ": " + std::strerror(spawned));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) expect(errno == EINTR, "waitpid failed");
    expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
           std::string("pcscd-ctl ") + verb + " failed (status " + std::to_string(status) + ")");
    return ms_since(started);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        expect(argc == 2, "usage: pcscd_restart PCSCD_CTL");
        const std::string ctl = argv[1];
        const auto reader = required_env("CARDBRIDGE_VCARD1_READER");

        EventLog log(kEventTimeout);
        ReaderMonitor monitor([&log](ReaderEvent event) { log.push(std::move(event)); });
        log.next(reader, Kind::reader_added);
        const Bytes atr = log.next(reader, Kind::card_inserted).event.atr;

        for (const milliseconds away : {milliseconds{0}, kAway}) {
            const auto stopping = Clock::now();
            const auto stop_ms = pcscd_ctl(ctl, "stop");
            log.next(reader, Kind::card_removed);
            const auto removed = log.next(reader, Kind::reader_removed).at;
            std::this_thread::sleep_for(away);

            const auto starting = Clock::now();
            const auto start_ms = pcscd_ctl(ctl, "start");
            const auto added = log.next(reader, Kind::reader_added).at;
            const auto inserted = log.next(reader, Kind::card_inserted);
            expect(inserted.event.atr == atr, "the card came back with another ATR");

            const Context context;
            const CardHandle card(context, reader);
            const Transmit transmit = [&card](protocol::ByteView apdu) {
                return card.transmit(apdu);
            };
            expect(exchange(transmit, CommandApdu::select_aid(kPivAid)).sw().ok(),
                   "SELECT PIV failed after the restart");
            expect(log.quiet(reader), "the monitor reported more than the restart");

            std::cout << "pcscd_restart: kept stopped " << away.count() << " ms more: stop took "
                      << stop_ms << " ms, reader_removed at " << ms_between(stopping, removed)
                      << " ms; start took " << start_ms << " ms (cards back), reader_added at "
                      << ms_between(starting, added) << " ms, card_inserted at "
                      << ms_between(starting, inserted.at) << " ms; SELECT answered\n";
        }
        monitor.stop();
        return 0;
    } catch (const Error& error) {
        std::cerr << "pcscd_restart: " << error.what() << '\n';
        return 1;
    }
}
