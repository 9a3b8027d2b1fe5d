// Loading PKCS#11 modules through p11-kit, the monitor's events and its shutdown, the kernel's
// USB hot-plug wait, and the one mapping of CKR_* codes to cardbridge errors.
#include <doctest/doctest.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "../unit/expect_error.hpp"
#include "pkcs11_fixture.hpp"
#include "tokens/pkcs11/module_loader.hpp"
#include "tokens/pkcs11/pkcs11_error.hpp"
#include "tokens/pkcs11/pkcs11_objects.hpp"
#include "tokens/usb_hotplug.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
using Clock = std::chrono::steady_clock;
using test::SoftHsmMonitor;

TEST_CASE("pkcs11: the monitor reports every initialized token once, with its slot's reader") {
    SoftHsmMonitor hsm;
    const std::regex reader(R"(libsofthsm2\.so slot [0-9]+)");
    std::set<std::string> readers;
    for (const KeyEvent& event : hsm.present) {
        CHECK(event.present);
        CHECK(std::regex_match(event.reader, reader));
        CHECK(event.make);
        readers.insert(event.reader);
    }
    CHECK(readers.size() == 2);
    // SoftHSM's third slot holds a token nobody initialized: not reported. stop() joins the
    // threads, so every event there was to report is in by then.
    hsm.monitor.stop();
    CHECK(hsm.events.all().size() == 2);
}

TEST_CASE("pkcs11: stop() is prompt, and tokens that outlive it fail with an error") {
    SoftHsmMonitor hsm;
    const auto token = hsm.token("02");
    const auto started = Clock::now();
    hsm.monitor.stop();
    CHECK(Clock::now() - started < std::chrono::seconds(1));
    hsm.monitor.stop();  // idempotent
    CHECK(reason_of_call([&] { token->pin_state(); }) == Reason::CARD_REMOVED);
    CHECK(reason_of_call([&] { token->verify_pin(daemon::SecurePin::from(test::kUserPin)); }) ==
          Reason::CARD_REMOVED);
    token->forget();
    const auto late = hsm.present.front().make();
    CHECK(reason_of_call([&] { late->snapshot(); }) == Reason::CARD_REMOVED);
}

TEST_CASE("pkcs11: a monitor without modules, or with one that does not load, stops at once") {
    test::KeyEvents events;
    {
        Pkcs11Monitor monitor({"/nonexistent/libnothing-pkcs11.so"}, false, events.callback());
        const auto started = Clock::now();
        monitor.stop();
        CHECK(Clock::now() - started < std::chrono::seconds(1));
    }
    CHECK(events.all().empty());
}

TEST_CASE(
    "pkcs11: a module is loaded once however often it is named, and OpenSC's never from the "
    "registry") {
    test::SoftHsmTokens tokens;  // SoftHSM initializes only with a usable configuration
    const auto modules = pkcs11::load_modules(
        {"/nonexistent/libnothing-pkcs11.so", test::kSoftHsmModule, test::kSoftHsmModule,
         "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"},
        true);
    std::size_t softhsm = 0;
    for (const auto& module : modules) {
        CHECK(module->file_name() != "opensc-pkcs11.so");
        CHECK(module->file_name() != "p11-kit-trust.so");
        if (module->file_name() == "libsofthsm2.so") ++softhsm;
    }
    CHECK(softhsm == 1);

    CHECK_FALSE(pkcs11::registry_skips("opensc-pkcs11.so", false).empty());
    CHECK_FALSE(pkcs11::registry_skips("onepin-opensc-pkcs11.so", false).empty());
    CHECK_FALSE(pkcs11::registry_skips("p11-kit-trust.so", true).empty());
    CHECK(pkcs11::registry_skips("libsofthsm2.so", false).empty());
    CHECK(pkcs11::registry_skips("libgm3000_pkcs11.so", false).empty());
}

TEST_CASE("pkcs11: with the registry too, each token is reported once") {
    test::SoftHsmTokens tokens;
    test::KeyEvents events;
    Pkcs11Monitor monitor({test::kSoftHsmModule}, true, events.callback());
    events.wait_for(2, std::chrono::seconds(10));
    monitor.stop();
    CHECK(events.all().size() == 2);
}

TEST_CASE("pkcs11: CKR_* codes map to the reasons a user is told") {
    using pkcs11::reason_for;
    CHECK(reason_for(CKR_DEVICE_REMOVED) == Reason::CARD_REMOVED);
    CHECK(reason_for(CKR_TOKEN_NOT_PRESENT) == Reason::CARD_REMOVED);
    CHECK(reason_for(CKR_SESSION_HANDLE_INVALID) == Reason::CARD_REMOVED);
    CHECK(reason_for(CKR_SESSION_CLOSED) == Reason::CARD_REMOVED);
    CHECK(reason_for(CKR_CRYPTOKI_NOT_INITIALIZED) == Reason::CARD_REMOVED);
    CHECK(reason_for(CKR_DEVICE_ERROR) == Reason::CARD_ERROR);
    CHECK(reason_for(CKR_PIN_INCORRECT) == Reason::PIN_INCORRECT);
    CHECK(reason_for(CKR_PIN_LOCKED) == Reason::PIN_BLOCKED);
    CHECK(reason_for(CKR_PIN_LEN_RANGE) == Reason::PIN_FORMAT);
    CHECK(reason_for(CKR_USER_NOT_LOGGED_IN) == Reason::NOT_PERMITTED);
    CHECK(reason_for(CKR_MECHANISM_INVALID) == Reason::UNSUPPORTED_ALGORITHM);
    CHECK(reason_for(CKR_ARGUMENTS_BAD) == Reason::INTERNAL);
    CHECK(reason_for(CKR_VENDOR_DEFINED | 0x42) == Reason::CARD_ERROR);
    const Error e = pkcs11::make_error("C_Sign", CKR_DEVICE_REMOVED);
    CHECK(std::string(e.what()).starts_with("C_Sign: "));
    CHECK(std::string(e.what()).find("0x00000032") != std::string::npos);
}

TEST_CASE("pkcs11: blank-padded token fields become text that can always be shown") {
    const auto text = [](std::string_view bytes) {
        return pkcs11::fixed_text(std::span<const CK_UTF8CHAR>(
            reinterpret_cast<const CK_UTF8CHAR*>(bytes.data()), bytes.size()));
    };
    CHECK(text("SoftHSM v2      ") == "SoftHSM v2");
    CHECK(text("\xe6\xb5\x8b\xe8\xaf\x95    ") == "测试");
    CHECK(text(std::string_view("abc\0\0\0", 6)) == "abc");
    CHECK(text("a\xe6\xb5 b\x01") == "a?? b?");  // a cut character, a control character
    CHECK(text("                ").empty());
}

TEST_CASE("usb hot-plug: cancel() ends the current and every later wait") {
    std::optional<UsbHotplug> hotplug;
    try {
        hotplug.emplace();
    } catch (const Error& e) {
        CHECK(e.reason() == Reason::NOT_SUPPORTED);
        MESSAGE("no uevent socket here: " << e.what());
        return;
    }
    std::thread canceller([&] { hotplug->cancel(); });
    const auto started = Clock::now();
    CHECK_FALSE(hotplug->wait());
    canceller.join();
    CHECK_FALSE(hotplug->wait());
    CHECK(Clock::now() - started < std::chrono::seconds(1));
}
