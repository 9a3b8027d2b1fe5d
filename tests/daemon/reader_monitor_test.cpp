#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "pcsc/reader_monitor.hpp"

using namespace cardbridge::daemon::pcsc;
using namespace std::chrono_literals;

TEST_CASE("without pcscd the monitor waits out its backoff, and stop() ends that wait at once") {
    // libpcsclite reaches pcscd through this socket; nothing listens here.
    setenv("PCSCLITE_CSOCK_NAME", "/nonexistent/cardbridge-test/pcscd.comm", 1);
    std::atomic<int> events{0};
    ReaderMonitor monitor([&events](ReaderEvent) { ++events; }, Backoff{60s, 60s});
    // Long enough for the first SCardEstablishContext to fail and the 60 s wait to begin.
    std::this_thread::sleep_for(200ms);
    const auto start = std::chrono::steady_clock::now();
    monitor.stop();
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(events == 0);
    monitor.stop();  // idempotent: the destructor calls it again too
}
