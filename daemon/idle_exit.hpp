#pragma once
// Under socket activation the daemon need not stay: systemd keeps its sockets listening and
// starts it again for the next connection. IdleExit counts the open connections of both
// transports and, once none has been open for the configured time, calls `exit` once. The timer
// is armed when the count drops to zero and cancelled when a connection comes, never polled.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "transport/peer.hpp"

namespace cardbridge::daemon {

class IdleExit : public std::enable_shared_from_this<IdleExit> {
public:
    /// Armed at once: the connection that made systemd start us may never be completed.
    static std::shared_ptr<IdleExit> start(boost::asio::io_context& io,
                                           std::chrono::steady_clock::duration after,
                                           std::function<void()> exit);

    /// Sets `handlers`' connected/disconnected to count here; safe after this is gone.
    void count(Handlers& handlers);
    /// No more counting or exiting (the daemon is stopping for another reason).
    void stop();

    struct Key {};  // start() makes them, shared
    IdleExit(Key, boost::asio::io_context& io, std::chrono::steady_clock::duration after,
             std::function<void()> exit);

private:
    /// `delta` connections more (or fewer), counted on the io_context's thread.
    void change(int delta);
    void arm();

    boost::asio::io_context::executor_type executor_;  // the count's and the timer's thread
    boost::asio::steady_timer timer_;
    std::chrono::steady_clock::duration after_;
    std::function<void()> exit_;
    std::size_t open_ = 0;
    std::atomic<bool> stopped_{false};
};

}  // namespace cardbridge::daemon
