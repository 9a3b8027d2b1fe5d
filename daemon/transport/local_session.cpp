#include "transport/local_session.hpp"

#include <array>
#include <deque>
#include <optional>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "cardbridge/protocol/jsonrpc.hpp"
#include "cardbridge/protocol/local_hello.hpp"
#include "cardbridge/protocol/native_messaging.hpp"
#include "log.hpp"

namespace cardbridge::daemon {
namespace {

namespace asio = boost::asio;
namespace hello = protocol::local_hello;
namespace nm = protocol::native_messaging;
using protocol::Json;
using stream = asio::local::stream_protocol;

std::string in_seconds(std::chrono::seconds s) {
    return std::to_string(s.count()) + " s";
}

class LocalSession : public Peer, public std::enable_shared_from_this<LocalSession> {
public:
    LocalSession(stream::socket socket, std::shared_ptr<LocalShared> shared)
        : socket_(std::move(socket)),
          deadline_(socket_.get_executor()),
          shared_(std::move(shared)),
          decoder_(shared_->limits.max_message_bytes) {
        if (shared_->handlers.connected) shared_->handlers.connected();
    }
    ~LocalSession() override {
        if (!closed_) ended();
    }

    const std::optional<std::string>& origin() const noexcept override { return origin_; }

    void send(std::string text) override {
        asio::post(socket_.get_executor(),
                   [self = shared_from_this(), t = std::move(text)]() mutable {
                       self->queue(std::move(t));
                   });
    }

    void start() {
        arm(shared_->limits.hello_timeout);
        read_next();
    }

private:
    const LocalLimits& limits() const { return shared_->limits; }

    void read_next() {
        if (reading_ || closing_) return;
        if (in_flight_ >= limits().max_in_flight) {
            disarm();  // the peer cannot finish a frame we do not read
            return;
        }
        if (greeted_) {
            // The frame deadline runs from the first byte of each frame, not of the connection.
            if (!decoder_.mid_frame())
                disarm();
            else if (!armed_ || frames_at_arm_ != frames_taken_)
                arm(limits().frame_timeout);
        }
        reading_ = true;
        socket_.async_read_some(
            asio::buffer(input_),
            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                self->reading_ = false;
                self->on_read(ec, n);
            });
    }

    void on_read(boost::system::error_code ec, std::size_t n) {
        if (closing_) return;
        if (ec) return close();  // the peer hung up (or reset): nothing to answer
        try {
            decoder_.feed(std::string_view(input_.data(), n));
        } catch (const Error& e) {
            // The stream is out of step after an oversized length: say why, then hang up.
            log(LogLevel::info, std::string("local client disconnected: ") + e.what());
            return refuse(e);
        }
        dispatch();
        read_next();
    }

    void dispatch() {
        while (!closing_ && in_flight_ < limits().max_in_flight) {
            std::optional<Json> frame;
            try {
                frame = decoder_.next();
            } catch (const Error& e) {  // not JSON: that frame only, the stream stays in step
                ++frames_taken_;
                if (!greeted_)
                    return refuse(
                        Error(Reason::INVALID_REQUEST,
                              std::string("the first message must be a hello: ") + e.what()));
                queue(protocol::jsonrpc::make_error(std::nullopt, e));
                continue;
            }
            if (!frame) return;
            ++frames_taken_;
            if (!greeted_) {
                greet(*frame);
                continue;
            }
            ++in_flight_;
            // A JSON string is the text of one WebSocket message, relayed as is (the extension
            // carries legacy frames, BLOCKTXT chunks included, this way).
            conversation_->on_message(
                frame->is_string() ? frame->get<std::string>() : protocol::dump_json(*frame), reply());
        }
    }

    void greet(const Json& frame) {
        try {
            auto [origin, attested_by] = hello::parse_hello(frame);
            if (origin && !shared_->origin_allowed(*origin))
                throw Error(Reason::ORIGIN_NOT_ALLOWED, "origin " + *origin + " is not allowed");
            // Which extension vouched for the origin: the daemon cannot check it, but the log
            // should say on whose word a browser's channel was let in.
            if (attested_by)
                log(LogLevel::info,
                    "local client accepted for " + *origin + ", attested by " + *attested_by);
            origin_ = std::move(origin);
        } catch (const Error& e) {
            log(LogLevel::info, std::string("local client refused: ") + e.what());
            return refuse(e);
        }
        greeted_ = true;
        disarm();
        queue(hello::make_welcome(CARDBRIDGE_VERSION));
        conversation_ = shared_->handlers.open(shared_from_this());
    }

    Reply reply() {
        return [self = shared_from_this()](std::optional<std::string> answer) {
            asio::post(self->socket_.get_executor(), [self, a = std::move(answer)]() mutable {
                --self->in_flight_;
                if (a) self->queue(std::move(*a));
                self->dispatch();
                self->read_next();
            });
        };
    }

    // Sends `error` (as the hello's refusal before the hello, else as a JSON-RPC error without
    // id), then closes once it is written.
    void refuse(const Error& error) {
        queue(greeted_ ? protocol::jsonrpc::make_error(std::nullopt, error)
                       : hello::make_refusal(error));
        closing_ = true;
        if (outbox_.empty()) return close();
        arm(limits().frame_timeout);  // a peer that will not take even this is cut off
    }

    void queue(std::string text) {
        if (closing_) return;
        std::string frame;
        try {
            frame = nm::encode_frame(text, limits().max_message_bytes);
        } catch (const Error& e) {
            // Nothing we answer comes near the cap; should it happen, a hang-up is clearer to
            // the peer than an answer that never comes.
            log(LogLevel::error,
                std::string("local client disconnected: our message: ") + e.what());
            return close();
        }
        if (queued_bytes_ + frame.size() > limits().max_queued_bytes) {
            log(LogLevel::warning, "local client disconnected: it left " +
                                       std::to_string(queued_bytes_) + " bytes unread");
            return close();
        }
        queued_bytes_ += frame.size();
        outbox_.push_back(std::move(frame));
        if (outbox_.size() == 1) write_next();
    }

    void write_next() {
        asio::async_write(socket_, asio::buffer(outbox_.front()),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              self->on_written(ec);
                          });
    }

    void on_written(boost::system::error_code ec) {
        if (ec || closed_) {
            outbox_.clear();  // only now: a write in progress still used the front buffer
            queued_bytes_ = 0;
            return close();
        }
        queued_bytes_ -= outbox_.front().size();
        outbox_.pop_front();
        if (!outbox_.empty()) return write_next();
        if (closing_) close();
    }

    void arm(std::chrono::seconds after) {
        armed_ = true;
        frames_at_arm_ = frames_taken_;
        deadline_.expires_after(after);  // cancels a wait in progress
        deadline_.async_wait(
            [self = shared_from_this(), generation = ++generation_](boost::system::error_code ec) {
                // A wait that had already expired when it was re-armed or disarmed is stale.
                if (ec || generation != self->generation_ || !self->armed_) return;
                self->armed_ = false;
                self->on_deadline();
            });
    }

    void disarm() {
        if (!armed_) return;
        armed_ = false;
        deadline_.cancel();
    }

    void ended() {
        --shared_->connections;
        if (shared_->handlers.disconnected) shared_->handlers.disconnected();
    }

    void on_deadline() {
        if (closing_) return close();  // our last message was not taken in time
        auto why = greeted_
                       ? "a message was not completed within " + in_seconds(limits().frame_timeout)
                       : "no hello within " + in_seconds(limits().hello_timeout);
        log(LogLevel::info, "local client disconnected: " + why);
        refuse(Error(Reason::TIMEOUT, why));
    }

    void close() {
        if (closed_) return;
        closed_ = closing_ = true;
        ended();
        disarm();
        boost::system::error_code ignored;
        socket_.shutdown(stream::socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

    stream::socket socket_;
    asio::steady_timer deadline_;
    std::shared_ptr<LocalShared> shared_;
    nm::FrameDecoder decoder_;
    std::array<char, 16 * 1024> input_{};
    std::optional<std::string> origin_;
    std::shared_ptr<Conversation> conversation_;
    std::deque<std::string> outbox_;  // encoded frames; the front one is being written
    std::size_t queued_bytes_ = 0;
    std::size_t in_flight_ = 0;
    std::size_t frames_taken_ = 0;   // frames taken out of the decoder, good or bad
    std::size_t frames_at_arm_ = 0;  // frames_taken_ when the deadline was last armed
    unsigned generation_ = 0;
    bool armed_ = false;
    bool reading_ = false;
    bool greeted_ = false;
    bool closing_ = false;  // no more reading or answering; close once the outbox is written
    bool closed_ = false;
};

}  // namespace

void start_local_session(stream::socket socket, std::shared_ptr<LocalShared> shared) {
    std::make_shared<LocalSession>(std::move(socket), std::move(shared))->start();
}

}  // namespace cardbridge::daemon
