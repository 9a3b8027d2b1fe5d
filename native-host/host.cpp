#include "host.hpp"

#include <unistd.h>

#include <iostream>
#include <variant>

#include <boost/asio/write.hpp>

#include "cardbridge/protocol/local_hello.hpp"

namespace cardbridge::host {
namespace {

namespace asio = boost::asio;
namespace nm = protocol::native_messaging;

}  // namespace

Host::Host(asio::io_context& io, HostOptions options)
    : io_(io),
      options_(std::move(options)),
      input_(io, STDIN_FILENO),
      output_(io, STDOUT_FILENO),
      starter_(io, StarterSetup{options_.socket, options_.daemon_binary, options_.daemon_log}) {}

int Host::run() {
    read_next();
    io_.run();
    return status_;
}

void Host::read_next() {
    if (reading_ || output_full()) return;  // resumed by on_written
    reading_ = true;
    input_.async_read_some(asio::buffer(buffer_),
                           [this](boost::system::error_code ec, std::size_t n) {
                               reading_ = false;
                               on_read(ec, n);
                           });
}

void Host::on_read(boost::system::error_code ec, std::size_t n) {
    if (ec == asio::error::eof) {
        // The browser is done with us. A frame cut off midway is still a broken stream.
        try {
            decoder_.finish();
        } catch (const Error& e) {
            return end(1, std::string("stdin ended inside a frame: ") + e.what());
        }
        return end(0, "");
    }
    if (ec) return end(1, "cannot read stdin: " + ec.message());
    try {
        decoder_.feed(std::string_view(buffer_.data(), n));
        while (auto message = decoder_.next()) take(std::move(*message));
    } catch (const Error& e) {
        // Oversized or not JSON: the browser never sends either, so the stream is not what we
        // think it is, and nothing after it can be trusted.
        return end(1, std::string("a message from the browser: ") + e.what());
    }
    read_next();
}

void Host::take(protocol::Json message) {
    ExtensionRequest request;
    try {
        request = parse_request(std::move(message));
    } catch (const Error& e) {
        return emit_text(make_error(e));
    }
    const auto channel = request.channel;
    auto found = channels_.find(channel);
    if (auto* open_request = std::get_if<OpenChannel>(&request.action)) {
        if (found != channels_.end())
            return emit_text(
                make_error(Error(Reason::INVALID_REQUEST,
                                 "channel " + std::to_string(channel) + " is already open")));
        return open(channel, open_request->origin);
    }
    if (std::holds_alternative<CloseChannel>(request.action)) {
        // Already gone (the daemon closed it, and our "closed" crossed the request): nothing
        // to do, and "closed" is said once only.
        if (found == channels_.end()) return;
        found->second->close();
        channels_.erase(found);
        return emit_text(make_closed(channel, std::nullopt));
    }
    if (found == channels_.end())
        return emit_text(make_error(
            Error(Reason::INVALID_REQUEST, "channel " + std::to_string(channel) + " is not open")));
    auto link = found->second;  // it may close itself and leave the table meanwhile
    link->send(std::get<SendOnChannel>(request.action).message);
}

void Host::open(ChannelId channel, const std::optional<std::string>& origin) {
    if (channels_.size() >= kMaxChannels)
        return emit_text(make_closed(
            channel, Error(Reason::BUSY, "cardbridge-host carries at most " +
                                             std::to_string(kMaxChannels) + " channels at once")));
    std::string hello;
    try {
        // The extension's own pages have no origin, and nothing for the browser to attest.
        hello =
            protocol::local_hello::make_hello(origin, origin ? options_.attested_by : std::nullopt);
    } catch (const Error& e) {
        return emit_text(make_closed(channel, e));
    }
    auto link = std::make_shared<DaemonLink>(io_, channel, options_.socket, *this);
    channels_.emplace(channel, link);
    link->open(hello);
}

void Host::link_opened(ChannelId channel, const std::string& version) {
    emit_text(make_opened(channel, version));
}

void Host::link_message(ChannelId, std::string frame) {
    emit(std::move(frame));
}

void Host::link_closed(ChannelId channel, const Error& why) {
    channels_.erase(channel);
    emit_text(make_closed(channel, why));
}

void Host::start_daemon(DaemonStarter::Done done) {
    starter_.start(std::move(done));
}

void Host::emit_text(const std::string& text) {
    // What the host itself says is a few hundred bytes; only a daemon message nears the cap,
    // and the link checks those.
    emit(nm::encode_frame(text, kMaxFrame));
}

void Host::emit(std::string frame) {
    output_bytes_ += frame.size();
    if (output_bytes_ > kOutputHighWater) throttled_ = true;
    outbox_.push_back(std::move(frame));
    if (outbox_.size() == 1) write_next();
}

void Host::write_next() {
    asio::async_write(output_, asio::buffer(outbox_.front()),
                      [this](boost::system::error_code ec, std::size_t) { on_written(ec); });
}

void Host::on_written(boost::system::error_code ec) {
    if (ec) return end(1, "cannot write to the browser: " + ec.message());
    output_bytes_ -= outbox_.front().size();
    outbox_.pop_front();
    if (!outbox_.empty()) write_next();
    if (throttled_ && output_bytes_ <= kOutputLowWater) {
        throttled_ = false;
        read_next();
        // Copies: a link resumed may close itself and leave the table.
        auto links = channels_;
        for (auto& [channel, link] : links) link->resume();
    }
}

void Host::end(int status, const std::string& why) {
    if (!why.empty()) std::cerr << "cardbridge-host: " << why << '\n';
    status_ = status;
    for (auto& [channel, link] : channels_) link->close();
    channels_.clear();
    io_.stop();
}

}  // namespace cardbridge::host
