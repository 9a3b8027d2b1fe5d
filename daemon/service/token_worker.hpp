#pragma once
// One thread per reader: everything done with one card happens in order, and a slow card (or a
// user typing the PIN for it) never holds up another reader. The thread sleeps in its
// io_context while there is nothing to do: no wakeups.

#include <functional>
#include <string>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "service/card_session.hpp"

namespace cardbridge::daemon {

class TokenWorker {
public:
    explicit TokenWorker(std::string reader);
    /// Drops the queued jobs, waits for the one in progress (a card operation, or a PIN prompt
    /// up to its own timeout) and joins.
    ~TokenWorker();
    TokenWorker(const TokenWorker&) = delete;
    TokenWorker& operator=(const TokenWorker&) = delete;

    /// Queues `job`; it runs on the worker's thread with the reader's session. It must not throw.
    void post(std::function<void(CardSession&)> job);

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    CardSession session_;  // used on thread_ only
    std::thread thread_;
};

}  // namespace cardbridge::daemon
