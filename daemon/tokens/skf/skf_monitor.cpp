// The monitor's threads: start, report, stop. What each thread waits on is in
// skf_monitor_events.cpp.
#include "tokens/skf/skf_monitor.hpp"

#include <algorithm>

#include "log.hpp"
#include "tokens/skf/skf_token.hpp"

namespace cardbridge::daemon::tokens {

SkfMonitor::SkfMonitor(std::vector<std::string> library_paths, Callback on_event)
    : on_event_(std::move(on_event)) {
    for (std::string& path : library_paths) {
        auto watch = std::make_unique<Watch>();
        watch->path = std::move(path);
        watches_.push_back(std::move(watch));
    }
    try {
        for (const auto& watch : watches_)
            watch->thread = std::thread([this, &w = *watch] { run(w); });
    } catch (...) {
        // A thread that could not start never finishes: stop() must not wait for it.
        for (const auto& watch : watches_)
            if (!watch->thread.joinable()) watch->finished = true;
        stop();
        throw;
    }
}

SkfMonitor::~SkfMonitor() {
    stop();
}

void SkfMonitor::stop() noexcept {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
    for (const auto& watch : watches_) {
        // A cancel only ends a wait already in progress; one that lands between the thread's
        // check of stopping_ and its entry into the wait is lost (or, in some modules, kept
        // for the next wait). So repeat it until the thread has left: a bounded shutdown
        // handshake, not a polling loop.
        while (!watch->finished) {
            if (watch->in_device_wait) {
                try {
                    watch->library->call_unserialised<&SkfFunctions::CancelWaitForDevEvent>();
                } catch (...) {
                    // Present: in_device_wait is only set when it is.
                }
            }
            if (watch->hotplug != nullptr) watch->hotplug->cancel();
            wake_.wait_for(lock, std::chrono::milliseconds(50), [&] { return watch->finished; });
        }
    }
    lock.unlock();
    for (const auto& watch : watches_)
        if (watch->thread.joinable()) watch->thread.join();
}

bool SkfMonitor::stopping() const {
    const std::lock_guard lock(mutex_);
    return stopping_;
}

bool SkfMonitor::wait_unless_stopped(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void SkfMonitor::run(Watch& watch) noexcept {
    try {
        std::shared_ptr<const SkfLibrary> library;
        try {
            library = SkfLibrary::load(watch.path);
        } catch (const Error& e) {
            log(LogLevel::error, std::string("SKF library skipped: ") + e.what());
        }
        if (library) {
            {
                const std::lock_guard lock(mutex_);
                watch.library = library;
            }
            log(LogLevel::info, "SKF library loaded: " + watch.path);
            rescan(watch);
            if (!follow_device_events(watch)) follow_usb_hotplug(watch);
        }
    } catch (const std::exception& e) {
        log(LogLevel::error, "SKF monitor of " + watch.path + " ended: " + e.what());
    }
    const std::lock_guard lock(mutex_);
    watch.finished = true;
    wake_.notify_all();
}

bool SkfMonitor::report(Watch& watch, const std::string& device, bool present) {
    const bool changed =
        present ? watch.present.insert(device).second : watch.present.erase(device) > 0;
    if (!changed) return false;
    KeyEvent event;
    event.present = present;
    event.reader = skf_reader_name(*watch.library, device);
    if (present)
        event.make = [library = watch.library, device]() -> std::unique_ptr<Token> {
            return std::make_unique<SkfToken>(library, device);
        };
    on_event_(std::move(event));
    return true;
}

void SkfMonitor::rescan(Watch& watch) {
    std::vector<std::string> devices;
    try {
        devices = watch.library->present_devices();
    } catch (const Error& e) {
        log(LogLevel::warning, std::string("SKF device list: ") + e.what());
        return;
    }
    const std::set<std::string> reported = watch.present;
    for (const std::string& device : reported)
        if (std::find(devices.begin(), devices.end(), device) == devices.end())
            report(watch, device, false);
    for (const std::string& device : devices) report(watch, device, true);
}

}  // namespace cardbridge::daemon::tokens
