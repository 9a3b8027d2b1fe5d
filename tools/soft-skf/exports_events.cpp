// §7.1.2-3 device events: SKF_WaitForDevEvent blocks on inotify and the cancel eventfd, never
// polling and never holding the module mutex while it waits (README.md, "Device events").

#include <poll.h>

#include <cerrno>
#include <cstring>

#include "device_store.hpp"
#include "exports.hpp"
#include "module.hpp"

using namespace cardbridge::skf;
using namespace cardbridge::softskf;

namespace {

// This thread's turn as the one waiter, given back on every way out.
class WaitTurn {
public:
    explicit WaitTurn(Module& state) : state_(state) {
        const std::lock_guard lock(state_.mutex);
        if (!state_.events.begin_wait()) throw SarError(SAR_FAIL);
    }
    ~WaitTurn() {
        const std::lock_guard lock(state_.mutex);
        state_.events.end_wait();
    }
    WaitTurn(const WaitTurn&) = delete;
    WaitTurn& operator=(const WaitTurn&) = delete;

private:
    Module& state_;
};

// Blocks until Cancel is signalled or the store directory changes.
void wait_for_activity(int cancel_fd, DirectoryWatch* watch) {
    pollfd fds[2] = {{cancel_fd, POLLIN, 0}, {watch ? watch->fd() : -1, POLLIN, 0}};
    while (::poll(fds, watch ? 2 : 1, -1) < 0)
        if (errno != EINTR) throw SarError(SAR_FAIL);
    if (watch && (fds[1].revents & POLLIN)) watch->drain();
}

}  // namespace

ULONG SKF_WaitForDevEvent(LPSTR szDevName, ULONG* pulDevNameLen, ULONG* pulEvent) {
    return guarded([&]() -> ULONG {
        if (szDevName == nullptr || pulDevNameLen == nullptr || pulEvent == nullptr)
            return SAR_INVALIDPARAMERR;
        Module& state = module();
        const WaitTurn turn(state);
        for (;;) {
            if (state.events.consume_cancel()) return SAR_NOT_EVENTERR;
            std::shared_ptr<DirectoryWatch> watch;
            {
                const std::lock_guard lock(state.mutex);
                auto step = state.events.next(store_from_environment());
                if (step.change) {
                    const auto needed = static_cast<ULONG>(step.change->name.size() + 1);
                    if (*pulDevNameLen < needed) {
                        *pulDevNameLen = needed;  // the event stays for the next call
                        return SAR_BUFFER_TOO_SMALL;
                    }
                    std::memcpy(szDevName, step.change->name.c_str(), needed);
                    *pulDevNameLen = needed;
                    *pulEvent = step.change->event;
                    state.events.commit(*step.change);
                    return SAR_OK;
                }
                watch = std::move(step.watch);
            }
            // Outside the mutex: other entry points run while this thread waits. The watch is
            // shared, so it outlives this wait even if the store changes meanwhile.
            wait_for_activity(state.events.cancel_fd(), watch.get());
        }
    });
}

ULONG SKF_CancelWaitForDevEvent() {
    return guarded([]() -> ULONG {
        module().events.cancel();
        return SAR_OK;
    });
}
