// The SKF monitor over the software module: keys reported as they come and go (the module's
// SKF_WaitForDevEvent, driven by its CLI), tokens that notice the unplug, an unusable module
// skipped while the others carry on, and a stop that ends the wait at once.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>

#include "../unit/expect_error.hpp"
#include "skf_fixture.hpp"
#include "tokens/skf/skf_monitor.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kReader = "libcardbridge-soft-skf.so key1";

}  // namespace

TEST_CASE("skf: the monitor reports keys as they come and go, skipping unusable modules") {
    test::SoftSkfStore store;
    store.add_device("key1", "SKF-0001", "trade-legal-sm2", "legal");
    const auto not_a_module = store.path() / "libnot-skf.so";
    std::ofstream(not_a_module) << "not ELF\n";

    test::KeyEventLog log;
    SkfMonitor monitor(
        {"/nonexistent/libvendor-skf.so", not_a_module.string(), test::soft_skf_library()},
        log.callback());
    auto events = log.wait_for(1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].present);
    CHECK(events[0].reader == kReader);
    REQUIRE(events[0].make);
    const std::unique_ptr<Token> token = events[0].make();
    CHECK(token->reader() == kReader);
    CHECK(token->snapshot().id == "skf:SKF-0001");
    CHECK(token->pin_state().retries_left == 3);

    store.cli({"unplug", "key1"});
    events = log.wait_for(2);
    REQUIRE(events.size() == 2);
    CHECK_FALSE(events[1].present);
    CHECK(events[1].reader == kReader);
    CHECK_FALSE(events[1].make);
    // The token's next call finds the key gone, and so does every call after it.
    CHECK(reason_of_call([&] { token->pin_state(); }) == Reason::CARD_REMOVED);
    CHECK(reason_of_call([&] { token->verify_pin(test::skf_pin("88888888")); }) ==
          Reason::CARD_REMOVED);

    store.cli({"plug", "key1"});
    events = log.wait_for(3);
    REQUIRE(events.size() == 3);
    CHECK(events[2].present);
    CHECK(events[2].reader == kReader);  // the same place as before
    const std::unique_ptr<Token> again = events[2].make();
    again->verify_pin(test::skf_pin("88888888"));
    CHECK(again->pin_state().verified);

    // A second key is a second reader; each is reported once.
    store.add_device("key2", "SKF-0002", "trade-operator-sm2", "operator");
    events = log.wait_for(4);
    REQUIRE(events.size() == 4);
    CHECK(events[3].present);
    CHECK(events[3].reader == "libcardbridge-soft-skf.so key2");
    CHECK(events[3].make()->snapshot().label == "测试进出口贸易有限公司 李测试");

    monitor.stop();
    const std::size_t reported = log.size();
    store.cli({"unplug", "key2"});
    // Another monitor sees the unplug; the stopped one reported nothing more.
    test::KeyEventLog other;
    SkfMonitor second({test::soft_skf_library()}, other.callback());
    CHECK(other.wait_for(1).size() == 1);
    CHECK(log.size() == reported);
}

TEST_CASE("skf: stop() ends the module's device wait at once") {
    test::SoftSkfStore store;
    store.add_device("key1", "SKF-0001", "trade-legal-sm2", "legal");
    test::KeyEventLog log;
    SkfMonitor monitor({test::soft_skf_library()}, log.callback());
    REQUIRE(log.wait_for(1).size() == 1);  // now in SKF_WaitForDevEvent, or about to be
    const auto start = std::chrono::steady_clock::now();
    monitor.stop();
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    monitor.stop();  // idempotent: the destructor calls it again too
}

TEST_CASE("skf: a monitor of nothing usable starts and stops") {
    test::KeyEventLog log;
    SkfMonitor monitor({"/nonexistent/libvendor-skf.so"}, log.callback());
    monitor.stop();
    CHECK(log.size() == 0);
}

TEST_CASE("skf: a module without device events is scanned at start and stopped at once") {
    test::SoftSkfStore store;
    store.add_device("key1", "SKF-0001", "trade-legal-sm2", "legal");
    test::KeyEventLog log;
    SkfMonitor monitor({CARDBRIDGE_SKF_WITHOUT_EVENTS}, log.callback());
    const auto events = log.wait_for(1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].reader == "libskf_without_events.so key1");
    CHECK(events[0].make()->snapshot().id == "skf:SKF-0001");
    // Now blocked in the USB hot-plug wait (or, where the kernel refuses its uevent socket,
    // waiting for stop): either ends at once.
    const auto start = std::chrono::steady_clock::now();
    monitor.stop();
    CHECK(std::chrono::steady_clock::now() - start < 1s);
}
