#pragma once
// Watches the devices of every configured SKF module, one thread per module, and reports keys
// coming and going through a callback, as pcsc/reader_monitor.hpp does for readers. The
// callback runs on those threads and must neither throw nor call stop(): the daemon only posts
// the event into its io_context.
//
// Each thread loads its module (a module that cannot be used is logged and skipped; the others
// carry on), reports the devices present, then blocks in SKF_WaitForDevEvent. A module without
// device events is rescanned whenever the kernel reports a USB device added or removed
// (usb_hotplug.hpp). A device is never reported twice in the same state.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tokens/skf/skf_library.hpp"
#include "tokens/token.hpp"
#include "tokens/usb_hotplug.hpp"

namespace cardbridge::daemon::tokens {

class SkfMonitor {
public:
    using Callback = std::function<void(KeyEvent)>;

    /// Starts one thread per path at once; the devices present arrive first as events.
    SkfMonitor(std::vector<std::string> library_paths, Callback on_event);
    /// stop().
    ~SkfMonitor();
    SkfMonitor(const SkfMonitor&) = delete;
    SkfMonitor& operator=(const SkfMonitor&) = delete;

    /// Ends every wait (SKF_CancelWaitForDevEvent, the hot-plug wait, a back-off) and joins the
    /// threads; no event is reported after it returns. Idempotent.
    void stop() noexcept;

private:
    // One module's thread and what stop() needs to reach it; guarded by mutex_ unless noted.
    struct Watch {
        std::string path;
        std::shared_ptr<const SkfLibrary> library;
        bool in_device_wait = false;  // whether stop() must cancel SKF_WaitForDevEvent
        UsbHotplug* hotplug = nullptr;
        bool finished = false;
        std::set<std::string> present;  // the thread's own: what was last reported
        std::thread thread;
    };

    void run(Watch& watch) noexcept;
    /// SKF_WaitForDevEvent until stop; false when the module turns out not to have events.
    bool follow_device_events(Watch& watch);
    /// Rescans on every USB add or remove until stop.
    void follow_usb_hotplug(Watch& watch);
    /// Reports the difference between what EnumDev lists and what was reported.
    void rescan(Watch& watch);
    /// Tells the callback, unless `device` was last reported in that state; whether it told.
    bool report(Watch& watch, const std::string& device, bool present);

    bool stopping() const;
    /// Waits `delay` unless stop() comes first; false when stopping.
    bool wait_unless_stopped(std::chrono::milliseconds delay);

    Callback on_event_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::once_flag hotplug_warning_;
    std::vector<std::unique_ptr<Watch>> watches_;  // last: the threads start once all exists
};

}  // namespace cardbridge::daemon::tokens
