// What a monitor thread blocks on between reports: the module's own device events, or the
// kernel's USB hot-plug events for a module without them. Neither path polls.
#include <algorithm>
#include <cstring>
#include <optional>

#include "log.hpp"
#include "tokens/skf/skf_error.hpp"
#include "tokens/skf/skf_monitor.hpp"

namespace cardbridge::daemon::tokens {
namespace {

constexpr std::size_t kMaxEventNameBytes = 256;
constexpr std::chrono::milliseconds kFirstBackoff{250};
constexpr std::chrono::milliseconds kMaxBackoff{5000};
// A wait that comes back this fast with nothing new, several times running, is a module that
// does not really block (stubs return at once); treated as a failure, it is backed off.
constexpr std::chrono::milliseconds kQuickReturn{100};
constexpr int kMaxQuickReturns = 3;

}  // namespace

bool SkfMonitor::follow_device_events(Watch& watch) {
    const SkfLibrary& library = *watch.library;
    // Without a cancel, a thread blocked in the wait could never be stopped.
    if (!library.has<&SkfFunctions::WaitForDevEvent>() ||
        !library.has<&SkfFunctions::CancelWaitForDevEvent>())
        return false;
    struct InWait {
        SkfMonitor& monitor;
        Watch& watch;
        explicit InWait(SkfMonitor& m, Watch& w) : monitor(m), watch(w) { set(true); }
        ~InWait() { set(false); }
        void set(bool value) {
            const std::lock_guard lock(monitor.mutex_);
            watch.in_device_wait = value;
        }
    } in_wait(*this, watch);

    auto delay = kFirstBackoff;
    int quick_returns = 0;
    while (!stopping()) {
        char name[kMaxEventNameBytes + 1] = {};
        skf::ULONG length = kMaxEventNameBytes;
        skf::ULONG event = 0;
        const auto started = std::chrono::steady_clock::now();
        const skf::ULONG result =
            library.call_unserialised<&SkfFunctions::WaitForDevEvent>(name, &length, &event);
        if (stopping()) break;
        if (result == skf::SAR_NOTSUPPORTYETERR) return false;

        bool changed = false;
        bool failed = result != skf::SAR_OK && result != skf::SAR_NOT_EVENTERR;
        if (result == skf::SAR_OK) {
            // Stub modules answer SAR_OK without an event; only 1 and 2 mean something.
            if (event != skf::DEV_EVENT_INSERTED && event != skf::DEV_EVENT_REMOVED) {
                failed = true;
            } else {
                const std::string device(name, strnlen(name, kMaxEventNameBytes));
                if (device.empty()) {
                    const auto before = watch.present;
                    rescan(watch);
                    changed = watch.present != before;
                } else {
                    changed = report(watch, device, event == skf::DEV_EVENT_INSERTED);
                }
            }
        }
        if (changed) {
            delay = kFirstBackoff;
            quick_returns = 0;
            continue;
        }
        if (!failed) {  // the wait ended without news: wait again, unless that is all it does
            const bool quick = std::chrono::steady_clock::now() - started < kQuickReturn;
            quick_returns = quick ? quick_returns + 1 : 0;
            if (!quick) delay = kFirstBackoff;  // it blocked: the module works again
            if (quick_returns < kMaxQuickReturns) continue;
        }
        quick_returns = 0;
        if (delay == kFirstBackoff) {  // once per streak of failures
            const std::string call = "SKF_WaitForDevEvent of " + library.file_name();
            const bool module_error = result != skf::SAR_OK && result != skf::SAR_NOT_EVENTERR;
            log(LogLevel::warning, (module_error ? std::string(skf_error(call, result).what())
                                                 : call + " returns without an event") +
                                       "; backing off");
        }
        if (!wait_unless_stopped(delay)) break;
        delay = std::min(delay * 2, kMaxBackoff);
        rescan(watch);  // what happened while we were not listening
    }
    return true;
}

void SkfMonitor::follow_usb_hotplug(Watch& watch) {
    std::optional<UsbHotplug> hotplug;
    try {
        hotplug.emplace();
    } catch (const Error& e) {
        std::call_once(hotplug_warning_, [&] {
            log(LogLevel::warning,
                std::string("USB hot-plug events are unavailable (") + e.what() +
                    "): keys of SKF modules without device events are seen only when "
                    "cardbridged starts");
        });
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_; });
        return;
    }
    // No polling: the kernel says when a USB device comes or goes, and only then can the
    // module's list have changed.
    log(LogLevel::info, watch.library->file_name() +
                            " reports no device events: its keys are rescanned on USB hot-plug");
    {
        const std::lock_guard lock(mutex_);
        watch.hotplug = &*hotplug;
    }
    for (;;) {
        bool plugged = false;
        try {
            plugged = hotplug->wait();
        } catch (const Error& e) {
            // The socket failed to read; a later read may work, and may have missed a plug.
            log(LogLevel::warning, std::string("USB hot-plug events: ") + e.what());
            if (!wait_unless_stopped(kMaxBackoff)) break;
            rescan(watch);
            continue;
        }
        if (!plugged || stopping()) break;
        rescan(watch);
    }
    const std::lock_guard lock(mutex_);
    watch.hotplug = nullptr;
}

}  // namespace cardbridge::daemon::tokens
