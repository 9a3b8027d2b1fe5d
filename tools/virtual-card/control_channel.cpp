#include "control_channel.hpp"

#include <sys/stat.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <string>

#include "cardbridge/protocol/error.hpp"
#include "control_command.hpp"

namespace cardbridge::vcard {
namespace {

namespace asio = boost::asio;
using asio::local::stream_protocol;

// Commands are a word and a number; anything longer is not a command.
constexpr std::size_t kMaxLine = 256;

/// The socket file gets its mode when bind() creates it, so the mask has to be narrowed around
/// bind(): a chmod() afterwards would leave a moment in which anyone could connect.
class OwnerOnlyFiles {
public:
    OwnerOnlyFiles() noexcept : previous_(::umask(0177)) {}
    ~OwnerOnlyFiles() { ::umask(previous_); }
    OwnerOnlyFiles(const OwnerOnlyFiles&) = delete;
    OwnerOnlyFiles& operator=(const OwnerOnlyFiles&) = delete;

private:
    mode_t previous_;
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(stream_protocol::socket socket, VpcdLink& link)
        : socket_(std::move(socket)), input_(kMaxLine), link_(link) {}

    void read() {
        asio::async_read_until(
            socket_, input_, '\n',
            [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                if (error == asio::error::not_found) {
                    self->reply("error line too long", false);
                } else if (!error) {
                    self->run_line();
                }
            });
    }

private:
    void run_line() {
        std::string line;
        std::istream stream(&input_);
        std::getline(stream, line);
        reply(run_control_command(line, link_), true);
    }

    void reply(std::string text, bool keep_reading) {
        reply_ = std::move(text) + '\n';
        asio::async_write(socket_, asio::buffer(reply_),
                          [self = shared_from_this(), keep_reading](
                              const boost::system::error_code& error, std::size_t) {
                              if (!error && keep_reading) self->read();
                          });
    }

    stream_protocol::socket socket_;
    asio::streambuf input_;
    std::string reply_;
    VpcdLink& link_;
};

}  // namespace

ControlChannel::ControlChannel(asio::io_context& io, const std::filesystem::path& path,
                               VpcdLink& link)
    : path_(path), acceptor_(io), link_(link) {
    boost::system::error_code error;
    acceptor_.open(stream_protocol(), error);
    if (!error) {
        const OwnerOnlyFiles owner_only;
        acceptor_.bind(stream_protocol::endpoint(path.string()), error);
    }
    if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
        throw Error(Reason::INVALID_PARAMS,
                    "cannot listen on control socket " + path.string() + ": " + error.message());
    }
    accept();
}

void ControlChannel::close() noexcept {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

void ControlChannel::accept() {
    acceptor_.async_accept([this](const boost::system::error_code& error,
                                  stream_protocol::socket peer) {
        if (error == asio::error::operation_aborted) return;
        if (error) {
            throw Error(Reason::INTERNAL, "accepting on the control socket: " + error.message());
        }
        std::make_shared<Session>(std::move(peer), link_)->read();
        accept();
    });
}

}  // namespace cardbridge::vcard
