#pragma once
// Watches every reader (and hot-plug, through the \\?PnP?\Notification pseudo reader) on a
// thread of its own that blocks in SCardGetStatusChange, and reports what changed through a
// callback. The callback runs on that thread and must neither throw nor call stop(): the
// daemon only posts the event into its io_context.
// When pcscd stops, every reader is reported gone and the context is re-established with
// backoff until pcscd is back, which then reports its readers (and cards) anew.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "cardbridge/protocol/apdu.hpp"
#include "pcsc/context.hpp"

namespace cardbridge::daemon::pcsc {

struct ReaderEvent {
    enum class Kind { reader_added, reader_removed, card_inserted, card_removed };
    Kind kind;
    std::string reader;
    protocol::Bytes atr;  // card_inserted only (empty for a mute card)
};

struct Backoff {
    std::chrono::milliseconds first{250};
    // Short enough that a restarted pcscd is back in the daemon within about two seconds.
    std::chrono::milliseconds max{2000};
};

class ReaderMonitor {
public:
    using Callback = std::function<void(ReaderEvent)>;

    /// Starts the thread at once; the readers and cards present then arrive as events first
    /// (reader_added before its card_inserted). pcscd need not be running yet.
    explicit ReaderMonitor(Callback on_event, Backoff backoff = {});
    /// stop().
    ~ReaderMonitor();
    ReaderMonitor(const ReaderMonitor&) = delete;
    ReaderMonitor& operator=(const ReaderMonitor&) = delete;

    /// Wakes the thread (SCardCancel, or the backoff wait) and joins it; no event is reported
    /// after it returns. Idempotent.
    void stop() noexcept;

private:
    enum class Outcome { stopped, service_lost };

    void run() noexcept;
    Outcome watch(const Context& context);
    /// Waits `delay` unless stop() comes first; false when stopping.
    bool wait_unless_stopped(std::chrono::milliseconds delay);
    bool stopping() const;

    Callback on_event_;
    Backoff backoff_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool finished_ = false;
    // The context the thread currently blocks on, for stop()'s SCardCancel; guarded by mutex_.
    const Context* active_ = nullptr;
    std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace cardbridge::daemon::pcsc
