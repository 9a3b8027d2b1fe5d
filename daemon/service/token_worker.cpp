#include "service/token_worker.hpp"

#include <boost/asio/post.hpp>

namespace cardbridge::daemon {

TokenWorker::TokenWorker(std::string reader)
    : work_(io_.get_executor()), session_(std::move(reader)), thread_([this] { io_.run(); }) {}

TokenWorker::~TokenWorker() {
    work_.reset();
    io_.stop();
    thread_.join();
}

void TokenWorker::post(std::function<void(CardSession&)> job) {
    boost::asio::post(io_, [this, job = std::move(job)] { job(session_); });
}

}  // namespace cardbridge::daemon
