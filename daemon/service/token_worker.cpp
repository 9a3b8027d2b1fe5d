#include "service/token_worker.hpp"

#include <boost/asio/post.hpp>

namespace cardbridge::daemon {

TokenWorker::TokenWorker(const tokens::TokenFactory& make)
    : work_(io_.get_executor()), token_(make()), thread_([this] { io_.run(); }) {}

TokenWorker::~TokenWorker() {
    work_.reset();
    io_.stop();
    thread_.join();
}

void TokenWorker::post(std::function<void(tokens::Token&)> job) {
    boost::asio::post(io_, [this, job = std::move(job)] { job(*token_); });
}

}  // namespace cardbridge::daemon
