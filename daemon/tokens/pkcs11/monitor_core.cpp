// The monitor's threads: the loader, one per module with slot events, one for USB hot-plug;
// and stop(), which ends them all (monitor_core.hpp says which one it leaves).
#include "tokens/pkcs11/monitor_core.hpp"

#include "log.hpp"
#include "tokens/pkcs11/module_loader.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {

MonitorCore::MonitorCore(std::vector<std::string> module_paths, bool use_registry,
                         Callback on_event)
    : module_paths_(std::move(module_paths)),
      use_registry_(use_registry),
      on_event_(std::move(on_event)) {}

void MonitorCore::start() {
    const std::lock_guard lock(mutex_);
    loader_ = std::thread([core = shared_from_this()] { core->load(); });
}

bool MonitorCore::stopping() const {
    const std::lock_guard lock(mutex_);
    return stopping_;
}

void MonitorCore::stop() noexcept {
    const std::lock_guard stop_lock(stop_mutex_);
    std::thread loader;
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        if (hotplug_) hotplug_->cancel();
        loader.swap(loader_);
    }
    // The loader starts nothing once stopping_ is set; a module it is still initializing is
    // released with it.
    if (loader.joinable()) loader.join();

    std::vector<std::shared_ptr<Module>> modules;
    std::vector<Waiter> waiters;
    std::thread hotplug;
    {
        const std::lock_guard lock(mutex_);
        modules.swap(modules_);
        waiters.swap(waiters_);
        hotplug.swap(hotplug_thread_);
    }
    // A waiter outside C_WaitForSlotEvent sees stopping_ before it goes back in; one inside
    // stays there (monitor_core.hpp), and so does its module.
    std::vector<std::thread> joinable;
    for (Waiter& waiter : waiters) {
        bool inside = false;
        {
            const std::lock_guard lock(mutex_);
            inside = waiter.watch->in_wait;
        }
        if (inside) {
            log(LogLevel::info, "PKCS#11 module " + waiter.watch->module->file_name() +
                                    " stays loaded: a thread waits in its C_WaitForSlotEvent");
            std::erase(modules, waiter.watch->module);
            if (waiter.thread.joinable()) waiter.thread.detach();
        } else {
            joinable.push_back(std::move(waiter.thread));
        }
    }
    // Waits for calls in progress; tokens made from these modules fail cleanly from now on.
    for (const auto& module : modules) module->finalize();
    for (std::thread& thread : joinable)
        if (thread.joinable()) thread.join();
    if (hotplug.joinable()) hotplug.join();
}

void MonitorCore::load() noexcept {
    std::vector<std::shared_ptr<Module>> modules;
    try {
        modules = load_modules(module_paths_, use_registry_);
    } catch (const std::exception& e) {
        log(LogLevel::error, std::string("PKCS#11 modules not loaded: ") + e.what());
        return;
    }
    for (const auto& module : modules) {
        {
            const std::lock_guard lock(mutex_);
            if (stopping_) return;
            modules_.push_back(module);
        }
        try {
            watch(module);
        } catch (const std::exception& e) {
            log(LogLevel::error,
                "PKCS#11 module " + module->file_name() + " is not watched: " + e.what());
        }
    }
}

void MonitorCore::watch(const std::shared_ptr<Module>& module) {
    auto watch = std::make_shared<Watch>(Watch{.module = module, .reported = {}});
    // Asked before the first scan, so that an event it takes from the module's queue is seen
    // by the scan. Modules without slot events say so here, or (SoftHSM) only when asked to
    // block: the event thread hands those over to the hot-plug thread.
    CK_SLOT_ID slot = 0;
    const CK_RV rv = module->call([&](const CK_FUNCTION_LIST& f) {
        return f.C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, nullptr);
    });
    rescan(*watch);
    if (rv == CKR_FUNCTION_NOT_SUPPORTED) {
        watch_on_hotplug(std::move(watch));
        return;
    }
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    Waiter& waiter = waiters_.emplace_back(Waiter{.watch = watch, .thread = {}});
    waiter.thread =
        std::thread([core = shared_from_this(), watch] { core->wait_for_events(watch); });
}

void MonitorCore::watch_on_hotplug(std::shared_ptr<Watch> watch) {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    hotplug_watches_.push_back(std::move(watch));
    if (hotplug_ || hotplug_failed_) return;
    try {
        hotplug_ = std::make_unique<UsbHotplug>();
    } catch (const Error& e) {
        hotplug_failed_ = true;  // said once: it will not work for the next module either
        log(LogLevel::warning,
            std::string("USB hot-plug events are not available (") + e.what() +
                "): keys of PKCS#11 modules without C_WaitForSlotEvent are seen only when "
                "cardbridged starts");
        return;
    }
    hotplug_thread_ = std::thread([core = shared_from_this()] { core->rescan_on_hotplug(); });
}

void MonitorCore::rescan_on_hotplug() noexcept {
    UsbHotplug* hotplug = nullptr;
    {
        const std::lock_guard lock(mutex_);
        hotplug = hotplug_.get();  // set before this thread started, never reset
    }
    try {
        while (hotplug->wait()) {
            std::vector<std::shared_ptr<Watch>> watches;
            {
                const std::lock_guard lock(mutex_);
                if (stopping_) return;
                watches = hotplug_watches_;
            }
            for (const auto& watch : watches) {
                if (stopping()) return;
                rescan(*watch);
            }
        }
    } catch (const std::exception& e) {
        log(LogLevel::error, std::string("USB hot-plug watch ended: ") + e.what());
    }
}

}  // namespace cardbridge::daemon::tokens::pkcs11
