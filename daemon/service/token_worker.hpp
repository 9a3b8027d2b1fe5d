#pragma once
// One thread per token place (reader, PKCS#11 slot, SKF device): everything done with one token
// happens in order, and a slow token (or a user typing the PIN for it) never holds up another. The thread sleeps in its
// io_context while there is nothing to do: no wakeups.

#include <functional>
#include <memory>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "tokens/token.hpp"

namespace cardbridge::daemon {

class TokenWorker {
public:
    explicit TokenWorker(const tokens::TokenFactory& make);
    /// Drops the queued jobs, waits for the one in progress (a card operation, or a PIN prompt
    /// up to its own timeout) and joins.
    ~TokenWorker();
    TokenWorker(const TokenWorker&) = delete;
    TokenWorker& operator=(const TokenWorker&) = delete;

    /// Queues `job`; it runs on the worker's thread with the token. It must not throw.
    void post(std::function<void(tokens::Token&)> job);

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::unique_ptr<tokens::Token> token_;  // used on thread_ only
    std::thread thread_;
};

}  // namespace cardbridge::daemon
