#include "transport/local_server.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <string>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "cardbridge/protocol/error.hpp"
#include "log.hpp"
#include "transport/local_session.hpp"
#include "transport/local_socket_path.hpp"

namespace cardbridge::daemon {

namespace asio = boost::asio;
using stream = asio::local::stream_protocol;

namespace {

// After a failed accept (e.g. out of file descriptors) retry later, not in a tight loop.
constexpr std::chrono::seconds kAcceptRetry{1};

std::optional<ucred> peer_credentials(stream::socket& socket) {
    ucred cred{};
    socklen_t size = sizeof cred;
    if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &size) != 0)
        return std::nullopt;
    return cred;
}

std::shared_ptr<LocalShared> local_shared(LocalLimits limits,
                                          std::function<bool(std::string_view)> origin_allowed,
                                          Handlers handlers) {
    auto shared = std::make_shared<LocalShared>();
    shared->limits = limits;
    shared->origin_allowed = std::move(origin_allowed);
    shared->handlers = std::move(handlers);
    return shared;
}

}  // namespace

struct LocalServer::Impl : std::enable_shared_from_this<Impl> {
    asio::io_context& io;
    std::filesystem::path path;
    uid_t expected_uid;
    std::shared_ptr<LocalShared> shared;
    stream::acceptor acceptor{io};
    asio::steady_timer retry{io};
    // The socket file we bound, so stop() never removes one a later daemon made, nor one
    // systemd bound.
    bool bound_here = false;
    dev_t device = 0;
    ino_t inode = 0;
    bool stopped = false;

    Impl(asio::io_context& io_, std::filesystem::path p, uid_t uid, std::shared_ptr<LocalShared> s)
        : io(io_), path(std::move(p)), expected_uid(uid), shared(std::move(s)) {}

    void accept() {
        acceptor.async_accept(
            asio::make_strand(io),
            [self = shared_from_this()](boost::system::error_code ec, stream::socket socket) {
                if (ec == asio::error::operation_aborted || self->stopped) return;
                if (!ec) {
                    self->admit(std::move(socket));
                    return self->accept();
                }
                log(LogLevel::warning, "local socket: cannot accept: " + ec.message());
                self->retry.expires_after(kAcceptRetry);
                self->retry.async_wait([self](boost::system::error_code wait_ec) {
                    if (!wait_ec && !self->stopped) self->accept();
                });
            });
    }

    // Refused sockets are closed by going out of scope, before a byte is read.
    void admit(stream::socket socket) {
        auto cred = peer_credentials(socket);
        if (!cred) {
            log(LogLevel::warning, "local socket: refused a client whose credentials are unknown");
            return;
        }
        if (cred->uid != expected_uid) {
            log(LogLevel::warning, "local socket: refused a client running as uid " +
                                       std::to_string(cred->uid) + " (pid " +
                                       std::to_string(cred->pid) + "); only uid " +
                                       std::to_string(expected_uid) + " may connect");
            return;
        }
        if (++shared->connections > shared->limits.max_connections) {
            --shared->connections;
            log(LogLevel::warning,
                "local socket: refused a client (pid " + std::to_string(cred->pid) + "): already " +
                    std::to_string(shared->limits.max_connections) + " connections");
            return;
        }
        start_local_session(std::move(socket), shared);
    }

    void bind_and_listen() {
        boost::system::error_code ec;
        acceptor.open(stream(), ec);
        if (!ec) acceptor.bind(stream::endpoint(path.string()), ec);
        bool bound = !ec;
        // Until the chmod the file has the umask's mode, but the directory (0700) keeps others
        // out meanwhile.
        if (!ec && ::chmod(path.c_str(), 0600) != 0)
            ec.assign(errno, boost::system::system_category());
        struct stat st {};
        if (!ec && ::stat(path.c_str(), &st) != 0)
            ec.assign(errno, boost::system::system_category());
        if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            if (bound) ::unlink(path.c_str());
            throw Error(Reason::INTERNAL,
                        "cannot listen on " + path.string() + ": " + ec.message());
        }
        bound_here = true;
        device = st.st_dev;
        inode = st.st_ino;
    }

    void adopt(UniqueFd listening) {
        const int fd = listening.get();
        boost::system::error_code ec;
        acceptor.assign(stream(), fd, ec);
        if (!ec) {
            listening.release();  // the acceptor owns it now
            path = acceptor.local_endpoint(ec).path();
        }
        if (ec)
            throw Error(Reason::INTERNAL, "cannot use the local socket systemd passed (fd " +
                                              std::to_string(fd) + "): " + ec.message());
    }
};

LocalServer::LocalServer(asio::io_context& io, std::filesystem::path path, LocalLimits limits,
                         std::function<bool(std::string_view origin)> origin_allowed,
                         Handlers handlers, uid_t expected_uid) {
    if (path.native().size() >= sizeof(sockaddr_un::sun_path))
        throw Error(Reason::INTERNAL,
                    "the socket path " + path.string() + " is too long (at most " +
                        std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes)");
    auto dir = path.parent_path();
    prepare_socket_directory(dir.empty() ? std::filesystem::path(".") : dir);
    remove_stale_socket(path);

    impl_ = std::make_shared<Impl>(
        io, std::move(path), expected_uid,
        local_shared(limits, std::move(origin_allowed), std::move(handlers)));
    impl_->bind_and_listen();
    impl_->accept();
}

LocalServer::LocalServer(asio::io_context& io, UniqueFd listening, LocalLimits limits,
                         std::function<bool(std::string_view origin)> origin_allowed,
                         Handlers handlers, uid_t expected_uid) {
    impl_ = std::make_shared<Impl>(
        io, std::filesystem::path(), expected_uid,
        local_shared(limits, std::move(origin_allowed), std::move(handlers)));
    impl_->adopt(std::move(listening));
    impl_->accept();
}

LocalServer::~LocalServer() {
    stop();
}

const std::filesystem::path& LocalServer::path() const noexcept {
    return impl_->path;
}

void LocalServer::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->retry.cancel();
    struct stat st {};
    if (impl_->bound_here && ::lstat(impl_->path.c_str(), &st) == 0 && st.st_dev == impl_->device &&
        st.st_ino == impl_->inode)
        ::unlink(impl_->path.c_str());
}

}  // namespace cardbridge::daemon
