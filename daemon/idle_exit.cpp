#include "idle_exit.hpp"

#include <boost/asio/post.hpp>

namespace cardbridge::daemon {

namespace asio = boost::asio;

IdleExit::IdleExit(Key, asio::io_context& io, std::chrono::steady_clock::duration after,
                   std::function<void()> exit)
    : executor_(io.get_executor()), timer_(io), after_(after), exit_(std::move(exit)) {}

std::shared_ptr<IdleExit> IdleExit::start(asio::io_context& io,
                                          std::chrono::steady_clock::duration after,
                                          std::function<void()> exit) {
    auto idle = std::make_shared<IdleExit>(Key{}, io, after, std::move(exit));
    idle->arm();
    return idle;
}

void IdleExit::count(Handlers& handlers) {
    // Weak: a connection may end after the daemon (and this) is gone.
    std::weak_ptr<IdleExit> weak = shared_from_this();
    handlers.connected = [weak] {
        if (auto self = weak.lock()) self->change(+1);
    };
    handlers.disconnected = [weak] {
        if (auto self = weak.lock()) self->change(-1);
    };
}

void IdleExit::stop() {
    stopped_ = true;
    asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void IdleExit::change(int delta) {
    // Sessions end on whichever thread lets go of them last; the count and timer live on one.
    // On that thread (an accept's handler) the count changes at once: posted, it could come
    // after an expiry already queued, and the daemon would exit under a connection it took.
    if (stopped_) return;
    auto apply = [self = shared_from_this(), delta] {
        if (delta > 0) {
            ++self->open_;
            self->timer_.cancel();
        } else if (--self->open_ == 0) {
            self->arm();
        }
    };
    if (executor_.running_in_this_thread())
        apply();
    else
        asio::post(executor_, std::move(apply));
}

void IdleExit::arm() {
    if (stopped_) return;
    timer_.expires_after(after_);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        // An expiry already queued when a connection came and went (and re-armed the timer)
        // is stale: the new expiry decides.
        if (ec || self->stopped_ || self->open_ != 0 ||
            self->timer_.expiry() > std::chrono::steady_clock::now())
            return;
        self->stopped_ = true;
        self->exit_();
    });
}

}  // namespace cardbridge::daemon
