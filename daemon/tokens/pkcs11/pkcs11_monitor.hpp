#pragma once
// Watches the slots of every PKCS#11 module the daemon uses and reports USB keys coming and
// going (tokens::KeyEvent). Loading the modules, the first scan and the events run on the
// monitor's own threads; the callback runs there too and must neither throw nor call stop():
// the daemon only posts the event into its io_context.
//
// A module that implements C_WaitForSlotEvent has a thread blocked in it. A module that does
// not (SoftHSM, many vendor modules) is scanned again whenever the kernel reports a USB device
// added or removed (UsbHotplug): one thread for all of them, asleep between plugs. That costs
// nothing while nothing happens, sees a key within the hot-plug settle time, and looks at the
// modules exactly when a key can have come or gone; polling C_GetSlotList would wake the
// daemon (and some modules' devices) all day long for events that happen a few times a week.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tokens/token.hpp"

namespace cardbridge::daemon::tokens {

namespace pkcs11 {
class MonitorCore;
}

class Pkcs11Monitor {
public:
    using Callback = std::function<void(KeyEvent)>;

    /// Starts at once: loads `module_paths` (and, with `use_registry`, p11-kit's registered
    /// modules; pkcs11/module_loader.hpp) on a thread of its own, then reports every slot that
    /// holds an initialized token as present, with a factory for its Pkcs11Token. Modules that
    /// fail are logged and skipped.
    Pkcs11Monitor(std::vector<std::string> module_paths, bool use_registry, Callback on_event);
    /// stop().
    ~Pkcs11Monitor();
    Pkcs11Monitor(const Pkcs11Monitor&) = delete;
    Pkcs11Monitor& operator=(const Pkcs11Monitor&) = delete;

    /// Returns promptly, and no event is reported after it returns. Cancels the hot-plug wait,
    /// finalizes the modules (tokens made from them then fail with Error(CARD_REMOVED)) and
    /// joins the threads, waiting for a module still loading. A thread blocked in
    /// C_WaitForSlotEvent is the exception: it is left there, with its module loaded, until the
    /// process ends (pkcs11/monitor_core.hpp says why). Idempotent.
    void stop() noexcept;

private:
    std::shared_ptr<pkcs11::MonitorCore> core_;
};

}  // namespace cardbridge::daemon::tokens
