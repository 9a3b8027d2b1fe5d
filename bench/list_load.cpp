#include "list_load.hpp"

#include <sys/resource.h>

#include <atomic>
#include <memory>
#include <random>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace cardbridge::bench {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// The same id every time: a connection never has two requests outstanding.
constexpr std::string_view kRequest = R"({"jsonrpc":"2.0","id":1,"method":"tokens.list"})";

/// Answers completed inside [start, end) count; so do latencies of requests sent inside it.
struct Window {
    Clock::time_point start;
    Clock::time_point end;
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(asio::io_context& io, const std::string& origin, std::uint16_t port)
        : ws_(asio::make_strand(io)),
          timer_(ws_.get_executor()),
          host_("127.0.0.1:" + std::to_string(port)),
          at_(asio::ip::make_address("127.0.0.1"), port) {
        ws_.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
            req.set(beast::http::field::origin, origin);
        }));
    }

    void connect(std::atomic<std::size_t>& connected) {
        beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
        beast::get_lowest_layer(ws_).async_connect(at_, [self = shared_from_this(),
                                                         &connected](beast::error_code ec) {
            if (ec) return;
            self->ws_.async_handshake(self->host_, "/", [self, &connected](beast::error_code ec) {
                beast::get_lowest_layer(self->ws_).expires_never();
                if (ec) return;
                // The daemon greets every connection with the legacy E-Port hello first.
                self->ws_.async_read(self->buffer_, [self, &connected](beast::error_code ec, std::size_t) {
                    self->buffer_.consume(self->buffer_.size());
                    if (ec) return;
                    self->open_ = true;
                    ++connected;
                });
            });
        });
    }

    /// Starts the requests: the first at `first`, then every `interval` (0: back to back).
    void start(Window window, Clock::time_point first, Clock::duration interval) {
        if (!open_) return;
        window_ = window;
        next_ = first;
        interval_ = interval;
        asio::post(ws_.get_executor(), [self = shared_from_this()] { self->schedule(); });
    }

    std::uint64_t completed() const noexcept { return completed_; }
    std::uint64_t failures() const noexcept { return failures_; }
    const std::vector<double>& latencies_ms() const noexcept { return latencies_ms_; }

private:
    void schedule() {
        if (interval_ == Clock::duration::zero()) return send();
        timer_.expires_at(next_);
        timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (!ec) self->send();
        });
    }

    void send() {
        sent_ = Clock::now();
        if (sent_ >= window_.end) return close();
        ws_.text(true);
        ws_.async_write(
            asio::buffer(kRequest), [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->fail();
                self->ws_.async_read(self->buffer_, [self](beast::error_code ec, std::size_t) {
                    self->on_answer(ec);
                });
            });
    }

    void on_answer(beast::error_code ec) {
        const auto now = Clock::now();
        if (ec) return fail();
        // The member is enough to tell a result from an error; the bench does not parse it.
        const auto data = buffer_.cdata();
        const std::string_view text(static_cast<const char*>(data.data()), data.size());
        const bool ok = text.find("\"result\"") != std::string_view::npos;
        buffer_.consume(buffer_.size());
        if (!ok) ++failures_;
        if (ok && now >= window_.start && now < window_.end) ++completed_;
        if (ok && sent_ >= window_.start && now < window_.end)
            latencies_ms_.push_back(std::chrono::duration<double, std::milli>(now - sent_).count());
        next_ += interval_;
        schedule();
    }

    void close() {
        beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(5));
        ws_.async_close(websocket::close_code::normal,
                        [self = shared_from_this()](beast::error_code) {});
    }

    void fail() { ++failures_; }

    websocket::stream<beast::tcp_stream> ws_;
    asio::steady_timer timer_;
    beast::flat_buffer buffer_;
    std::string host_;
    tcp::endpoint at_;
    bool open_ = false;
    Window window_;
    Clock::time_point next_;
    Clock::duration interval_{};
    Clock::time_point sent_;
    std::uint64_t completed_ = 0;
    std::uint64_t failures_ = 0;
    std::vector<double> latencies_ms_;
};

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void run_threads(asio::io_context& io, int threads) {
    io.restart();
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : pool) t.join();
}

}  // namespace

LoadResult run_load(std::uint16_t port, const std::string& origin, const LoadLevel& level,
                    std::chrono::milliseconds warmup, std::chrono::milliseconds duration,
                    int threads) {
    asio::io_context io(threads);
    std::vector<std::shared_ptr<Connection>> connections;
    std::atomic<std::size_t> connected{0};
    for (std::size_t i = 0; i < level.connections; ++i) {
        connections.push_back(std::make_shared<Connection>(io, origin, port));
        connections.back()->connect(connected);
    }
    run_threads(io, threads);  // returns once every handshake has ended, well or not

    const auto interval =
        level.paced_rate > 0
            ? std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                  static_cast<double>(level.connections) / level.paced_rate))
            : Clock::duration::zero();
    const auto begin = Clock::now();
    const Window window{begin + warmup, begin + warmup + duration};
    // Paced connections start at random phases, so the load is spread, not in bursts.
    std::mt19937_64 random(42);
    std::uniform_int_distribution<Clock::rep> phase(0,
                                                    std::max<Clock::rep>(interval.count() - 1, 0));
    for (auto& c : connections) c->start(window, begin + Clock::duration(phase(random)), interval);
    const double cpu_before = cpu_seconds();
    run_threads(io, threads);  // returns once every connection has closed or failed

    LoadResult result;
    result.connected = connected;
    result.client_cpu_seconds = cpu_seconds() - cpu_before;
    std::uint64_t completed = 0;
    std::vector<double> latencies;
    for (const auto& c : connections) {
        completed += c->completed();
        result.failures += c->failures();
        latencies.insert(latencies.end(), c->latencies_ms().begin(), c->latencies_ms().end());
    }
    result.requests_per_second =
        static_cast<double>(completed) / std::chrono::duration<double>(duration).count();
    result.latency_ms = percentiles(std::move(latencies));
    return result;
}

}  // namespace cardbridge::bench
