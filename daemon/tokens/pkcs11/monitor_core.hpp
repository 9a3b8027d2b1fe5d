#pragma once
// The machinery behind Pkcs11Monitor, shared (shared_ptr) with the threads it runs.
//
// Why stop() does not end a thread blocked in C_WaitForSlotEvent: PKCS#11 v2.40 §5.4 says a
// C_Finalize from another thread makes it return CKR_CRYPTOKI_NOT_INITIALIZED, but OpenSC 0.23
// (Debian 12) implements that as a race: its C_Finalize cancels the PC/SC wait and frees its
// context at once, while the waiting thread is still on its way out through that context. In
// tests that crashed (SIGSEGV in C_WaitForSlotEvent) or hung (the cancel landed before the
// wait began) about every other run. Other modules may do the same. So a module is finalized
// only while no thread of ours is inside it; a waiting thread found inside at stop() is
// detached with its module loaded, reports nothing ever again, and releases the module (and
// this core) itself should an event still wake it. Everything it touches is owned here, never
// by the Pkcs11Monitor that goes away.

#include <p11-kit/pkcs11.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tokens/pkcs11/pkcs11_module.hpp"
#include "tokens/token.hpp"
#include "tokens/usb_hotplug.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {

class MonitorCore : public std::enable_shared_from_this<MonitorCore> {
public:
    using Callback = std::function<void(KeyEvent)>;

    MonitorCore(std::vector<std::string> module_paths, bool use_registry, Callback on_event);
    /// Starts the loader thread (which needs shared_from_this, so not the constructor).
    void start();
    /// As Pkcs11Monitor::stop().
    void stop() noexcept;

private:
    // One module and the tokens reported for it. `reported` is used by one thread at a time:
    // the loader for the first scan, then the module's event thread or the hot-plug thread
    // (handed over under mutex_).
    struct Watch {
        std::shared_ptr<Module> module;
        std::map<CK_SLOT_ID, std::string> reported;  // slot -> token id
        bool in_wait = false;                        // guarded by mutex_
    };
    struct Waiter {
        std::shared_ptr<Watch> watch;
        std::thread thread;
    };

    // monitor_core.cpp: lifetime and the threads.
    void load() noexcept;
    void watch(const std::shared_ptr<Module>& module);
    void watch_on_hotplug(std::shared_ptr<Watch> watch);
    void rescan_on_hotplug() noexcept;
    bool stopping() const;

    // monitor_events.cpp: what the threads do with an event.
    void wait_for_events(std::shared_ptr<Watch> watch) noexcept;
    void rescan(Watch& watch);
    void update(Watch& watch, CK_SLOT_ID slot, const std::optional<std::string>& token);
    void report(KeyEvent event) noexcept;

    const std::vector<std::string> module_paths_;
    const bool use_registry_;
    const Callback on_event_;

    std::mutex stop_mutex_;  // one stop() at a time: threads are joined once
    mutable std::mutex mutex_;
    // All guarded by mutex_.
    bool stopping_ = false;
    std::vector<std::shared_ptr<Module>> modules_;
    std::vector<Waiter> waiters_;
    std::vector<std::shared_ptr<Watch>> hotplug_watches_;
    std::unique_ptr<UsbHotplug> hotplug_;
    bool hotplug_failed_ = false;
    std::thread hotplug_thread_;
    std::thread loader_;
};

}  // namespace cardbridge::daemon::tokens::pkcs11
