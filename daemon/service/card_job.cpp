#include "service/card_job.hpp"

#include <memory>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "log.hpp"

namespace cardbridge::daemon {

namespace {

struct Pending {
    Pending(boost::asio::io_context& io, Complete d) : done(std::move(d)), timer(io) {}
    Complete done;
    boost::asio::steady_timer timer;
    bool finished = false;  // io thread only
};

Outcome run_guarded(const CardWork& work, tokens::Token& token) noexcept {
    try {
        return work(token);
    } catch (const Error& e) {
        return e;
    } catch (const std::exception& e) {
        log(LogLevel::error, "reader '" + token.reader() + "': " + e.what());
        return Error(Reason::INTERNAL, "internal error; the daemon's log has the details");
    }
}

}  // namespace

void run_on_card(boost::asio::io_context& io, const ReaderEntry& reader,
                 std::chrono::milliseconds deadline, CardWork work, Complete done) {
    auto pending = std::make_shared<Pending>(io, std::move(done));
    pending->timer.expires_after(deadline);
    pending->timer.async_wait([pending, name = reader.name](const boost::system::error_code& ec) {
        if (ec || pending->finished) return;
        pending->finished = true;
        pending->done(Error(Reason::TIMEOUT, "the token in '" + name + "' did not answer in time"));
    });
    reader.worker->post([&io, pending, work = std::move(work)](tokens::Token& token) {
        auto outcome = run_guarded(work, token);
        boost::asio::post(io, [pending, outcome = std::move(outcome)]() mutable {
            if (pending->finished) return;
            pending->finished = true;
            pending->timer.cancel();
            pending->done(std::move(outcome));
        });
    });
}

}  // namespace cardbridge::daemon
