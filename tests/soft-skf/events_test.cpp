// Device events: SKF_WaitForDevEvent on its own thread, as the daemon runs it, while the CLI
// plugs and unplugs; SKF_CancelWaitForDevEvent from another thread.

#include <chrono>
#include <future>
#include <thread>

#include <doctest/doctest.h>

#include "skf_calls.hpp"
#include "soft_store.hpp"

using namespace std::chrono_literals;
using namespace cardbridge::skf;
using namespace cardbridge::softskf::test;

namespace {

struct Event {
    ULONG code = 0;
    std::string name;
    ULONG length = 0;
    ULONG event = 0;
};

std::future<Event> wait_async(ULONG buffer_size = 256) {
    return std::async(std::launch::async, [buffer_size] {
        std::vector<char> name(buffer_size + 1, 'x');
        Event result;
        result.length = buffer_size;
        result.code = soft_skf().WaitForDevEvent(name.data(), &result.length, &result.event);
        if (result.code == SAR_OK) result.name = name.data();
        return result;
    });
}

// The wait's result; a wait still blocked after `limit` is cancelled (so the test can end)
// and fails the test.
Event result_within(std::future<Event>& wait, std::chrono::milliseconds limit = 5s) {
    if (wait.wait_for(limit) != std::future_status::ready) {
        soft_skf().CancelWaitForDevEvent();
        FAIL_CHECK("SKF_WaitForDevEvent did not return in time");
    }
    return wait.get();
}

Event wait_now() {
    auto wait = wait_async();
    return result_within(wait);
}

// Lets a waiting thread reach its blocking poll, so that what follows happens while it waits.
void let_it_block() {
    std::this_thread::sleep_for(100ms);
}

}  // namespace

TEST_CASE("Unplug makes operations give SAR_DEVICE_REMOVED and Wait report a removal") {
    const SoftStore store;
    store.add_device("key1", "trade-legal-sm2");
    const Opened opened = open_container("key1");
    verify_user_pin(opened.application);
    REQUIRE(enumerate_devices() == std::vector<std::string>{"key1"});

    auto wait = wait_async();
    let_it_block();
    CHECK(wait.wait_for(0s) == std::future_status::timeout);
    store.unplug("key1");
    const Event event = result_within(wait);
    CHECK(event.code == SAR_OK);
    CHECK(event.event == DEV_EVENT_REMOVED);
    CHECK(event.name == "key1");
    CHECK(event.length == 5);

    DEVINFO info{};
    CHECK(soft_skf().GetDevInfo(opened.device, &info) == SAR_DEVICE_REMOVED);
    Bytes e(32, 3);
    ECCSIGNATUREBLOB blob{};
    CHECK(soft_skf().ECCSignData(opened.container, e.data(), 32, &blob) == SAR_DEVICE_REMOVED);
    ULONG retries = 0;
    CHECK(soft_skf().VerifyPIN(opened.application, USER_TYPE, c_text("88888888").data(),
                               &retries) == SAR_DEVICE_REMOVED);
    ULONG size = 0;
    CHECK(soft_skf().ExportCertificate(opened.container, 1, nullptr, &size) == SAR_DEVICE_REMOVED);
    CHECK(enumerate_devices().empty());

    // Plugged back, the device is new: the old handles stay dead, a new connection works
    // and starts without the PIN.
    auto plug_wait = wait_async();
    let_it_block();
    store.plug("key1");
    const Event inserted = result_within(plug_wait);
    CHECK(inserted.code == SAR_OK);
    CHECK(inserted.event == DEV_EVENT_INSERTED);
    CHECK(inserted.name == "key1");
    CHECK(soft_skf().GetDevInfo(opened.device, &info) == SAR_DEVICE_REMOVED);
    const Opened again = open_container("key1");
    CHECK(soft_skf().ECCSignData(again.container, e.data(), 32, &blob) == SAR_USER_NOT_LOGGED_IN);
    // Closing still works on the dead handles.
    CHECK(soft_skf().CloseContainer(opened.container) == SAR_OK);
    CHECK(soft_skf().CloseApplication(opened.application) == SAR_OK);
    CHECK(soft_skf().DisConnectDev(opened.device) == SAR_OK);
    CHECK(soft_skf().DisConnectDev(again.device) == SAR_OK);
}

TEST_CASE("A device plugged between EnumDev and the first Wait is reported") {
    const SoftStore store;
    store.create("alpha");
    REQUIRE(enumerate_devices() == std::vector<std::string>{"alpha"});
    store.create("beta");  // no watcher exists yet
    const Event event = wait_now();
    CHECK(event.code == SAR_OK);
    CHECK(event.event == DEV_EVENT_INSERTED);
    CHECK(event.name == "beta");
}

TEST_CASE("Several changes come one per call and removing the file is a removal") {
    const SoftStore store;
    store.create("alpha");
    REQUIRE(enumerate_devices() == std::vector<std::string>{"alpha"});
    store.create("beta");
    store.create("gamma");
    store.cli({"remove", "alpha"});
    const Event first = wait_now();
    CHECK(first.event == DEV_EVENT_REMOVED);
    CHECK(first.name == "alpha");
    const Event second = wait_now();
    CHECK(second.event == DEV_EVENT_INSERTED);
    CHECK(second.name == "beta");
    const Event third = wait_now();
    CHECK(third.event == DEV_EVENT_INSERTED);
    CHECK(third.name == "gamma");

    auto fourth = wait_async();  // nothing left to report: it blocks
    CHECK(fourth.wait_for(300ms) == std::future_status::timeout);
    soft_skf().CancelWaitForDevEvent();
    CHECK(result_within(fourth).code == SAR_NOT_EVENTERR);
}

TEST_CASE("Unplugged and plugged between two looks gives a removal then an insertion") {
    const SoftStore store;
    store.create("key1");
    DEVHANDLE device = nullptr;
    REQUIRE(soft_skf().ConnectDev(c_text("key1").data(), &device) == SAR_OK);
    REQUIRE(enumerate_devices() == std::vector<std::string>{"key1"});
    store.unplug("key1");
    store.plug("key1");
    DEVINFO info{};
    CHECK(soft_skf().GetDevInfo(device, &info) == SAR_DEVICE_REMOVED);
    const Event removed = wait_now();
    CHECK(removed.event == DEV_EVENT_REMOVED);
    CHECK(removed.name == "key1");
    const Event inserted = wait_now();
    CHECK(inserted.event == DEV_EVENT_INSERTED);
    CHECK(inserted.name == "key1");
    CHECK(soft_skf().DisConnectDev(device) == SAR_OK);
}

TEST_CASE("Cancel unblocks a waiting thread within 100 ms") {
    const SoftStore store;
    store.create("key1");
    auto wait = wait_async();
    let_it_block();
    REQUIRE(wait.wait_for(0s) == std::future_status::timeout);
    // The blocked Wait holds no lock: every other entry point still answers meanwhile.
    CHECK(enumerate_devices() == std::vector<std::string>{"key1"});
    DEVHANDLE device = nullptr;
    REQUIRE(soft_skf().ConnectDev(c_text("key1").data(), &device) == SAR_OK);
    DEVINFO info{};
    CHECK(soft_skf().GetDevInfo(device, &info) == SAR_OK);
    CHECK(soft_skf().DisConnectDev(device) == SAR_OK);
    REQUIRE(wait.wait_for(0s) == std::future_status::timeout);
    const auto cancelled_at = std::chrono::steady_clock::now();
    REQUIRE(soft_skf().CancelWaitForDevEvent() == SAR_OK);
    REQUIRE(wait.wait_for(1s) == std::future_status::ready);
    const auto elapsed = std::chrono::steady_clock::now() - cancelled_at;
    CHECK(wait.get().code == SAR_NOT_EVENTERR);
    CHECK(elapsed < 100ms);
}

TEST_CASE("A Cancel with nobody waiting ends only the next Wait") {
    const SoftStore store;
    store.create("key1");
    REQUIRE(enumerate_devices() == std::vector<std::string>{"key1"});
    REQUIRE(soft_skf().CancelWaitForDevEvent() == SAR_OK);
    REQUIRE(soft_skf().CancelWaitForDevEvent() == SAR_OK);  // several count as one
    auto first = wait_async();
    CHECK(result_within(first, 1s).code == SAR_NOT_EVENTERR);

    auto second = wait_async();
    CHECK(second.wait_for(300ms) == std::future_status::timeout);
    store.unplug("key1");
    const Event event = result_within(second);
    CHECK(event.code == SAR_OK);
    CHECK(event.event == DEV_EVENT_REMOVED);
}

TEST_CASE("A short name buffer gets SAR_BUFFER_TOO_SMALL and the event is kept") {
    const SoftStore store;
    REQUIRE(enumerate_devices().empty());
    store.create("longer-name");
    auto short_wait = wait_async(4);
    const Event refused = result_within(short_wait);
    CHECK(refused.code == SAR_BUFFER_TOO_SMALL);
    CHECK(refused.length == 12);
    auto exact_wait = wait_async(12);
    const Event event = result_within(exact_wait);
    CHECK(event.code == SAR_OK);
    CHECK(event.name == "longer-name");
    CHECK(event.length == 12);
    CHECK(event.event == DEV_EVENT_INSERTED);
}
