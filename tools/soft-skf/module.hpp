#pragma once
// The library's whole state. A C ABI gives its functions no context parameter, so the state a
// vendor module keeps per process (open handles, the device watcher) has to be reachable from
// every entry point: it lives in one object behind module(), a function-local static, which
// C++ constructs thread-safely on first use and destroys at dlclose/exit. No other globals.

#include <mutex>

#include "device_events.hpp"
#include "handles.hpp"
#include "sar_error.hpp"

namespace cardbridge::softskf {

struct Module {
    // Serialises every entry point except SKF_WaitForDevEvent's blocking part and
    // SKF_CancelWaitForDevEvent, as Longmai's library does (skf-notes.md §6.10).
    std::mutex mutex;
    Handles handles;
    DeviceEvents events;
};

Module& module();

/// guarded() with the module mutex held: the form of every entry point but the two above.
template <typename Body>
ULONG locked(Body&& body) noexcept {
    return guarded([&]() -> ULONG {
        Module& state = module();
        const std::lock_guard lock(state.mutex);
        return body(state);
    });
}

}  // namespace cardbridge::softskf
