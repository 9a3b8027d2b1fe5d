#pragma once
// What a ReaderMonitor reported, in order and with when, for the test thread to wait on.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
// Not <utility>: its std::exchange would win over pcsc::exchange, which the programs call
// unqualified, by argument-dependent lookup on std::function.

#include "expect.hpp"
#include "pcsc/reader_monitor.hpp"

namespace cardbridge::testing {

inline const char* kind_name(daemon::pcsc::ReaderEvent::Kind kind) {
    using Kind = daemon::pcsc::ReaderEvent::Kind;
    switch (kind) {
        case Kind::reader_added:
            return "reader_added";
        case Kind::reader_removed:
            return "reader_removed";
        case Kind::card_inserted:
            return "card_inserted";
        case Kind::card_removed:
            return "card_removed";
    }
    return "?";
}

// An event, and when the monitor reported it: a harness command (pcscd-ctl start) may return
// only after the monitor has seen what it did.
struct Reported {
    daemon::pcsc::ReaderEvent event;
    std::chrono::steady_clock::time_point at;
};

class EventLog {
public:
    /// next() fails when the event it waits for takes longer than `timeout`.
    explicit EventLog(std::chrono::milliseconds timeout) : timeout_(timeout) {}

    void push(daemon::pcsc::ReaderEvent event) {
        std::lock_guard lock(mutex_);
        events_.push_back({std::move(event), std::chrono::steady_clock::now()});
        arrived_.notify_all();
    }

    /// The next event for `reader` must be `kind`; events of other readers are skipped.
    Reported next(const std::string& reader, daemon::pcsc::ReaderEvent::Kind kind) {
        std::unique_lock lock(mutex_);
        const auto deadline = std::chrono::steady_clock::now() + timeout_;
        for (;;) {
            const auto it = std::find_if(events_.begin(), events_.end(), [&](const Reported& r) {
                return r.event.reader == reader;
            });
            if (it != events_.end()) {
                Reported reported = std::move(*it);
                events_.erase(events_.begin(), it + 1);
                expect(reported.event.kind == kind, std::string("expected ") + kind_name(kind) +
                                                        ", got " + kind_name(reported.event.kind));
                return reported;
            }
            expect(std::chrono::steady_clock::now() < deadline,
                   std::string("no ") + kind_name(kind) + " within " +
                       std::to_string(timeout_.count()) + " ms");
            arrived_.wait_until(lock, deadline);
        }
    }

    /// Nothing is waiting for `reader`.
    bool quiet(const std::string& reader) {
        std::lock_guard lock(mutex_);
        return std::none_of(events_.begin(), events_.end(),
                            [&](const Reported& r) { return r.event.reader == reader; });
    }

private:
    const std::chrono::milliseconds timeout_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::deque<Reported> events_;
};

}  // namespace cardbridge::testing
