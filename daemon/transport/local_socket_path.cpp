#include "transport/local_socket_path.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon {
namespace {

namespace local = boost::asio::local;

[[noreturn]] void fail(const std::string& what) {
    throw Error(Reason::INTERNAL, what);
}

std::string system_error(const std::string& what, const std::filesystem::path& path) {
    return what + " " + path.string() + ": " + std::strerror(errno);
}

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

bool someone_listens_on(const std::filesystem::path& socket) {
    boost::asio::io_context io;
    local::stream_protocol::socket probe(io);
    boost::system::error_code ec;
    probe.open(local::stream_protocol(), ec);
    // Non-blocking, so a live daemon with a full accept backlog answers "would block" rather
    // than stalling our start-up.
    if (!ec) probe.non_blocking(true, ec);
    if (ec) fail("cannot create a socket: " + ec.message());
    probe.connect(local::stream_protocol::endpoint(socket.string()), ec);
    if (!ec || ec == boost::asio::error::would_block || ec == boost::asio::error::try_again)
        return true;
    // ENOENT: the stale socket vanished between our look and the connect.
    if (ec == boost::asio::error::connection_refused ||
        ec == boost::system::errc::no_such_file_or_directory)
        return false;
    fail("cannot tell whether " + socket.string() + " is in use: " + ec.message());
}

}  // namespace

std::filesystem::path default_socket_path(const char* xdg_runtime_dir, uid_t uid) {
    if (xdg_runtime_dir != nullptr && *xdg_runtime_dir != '\0')
        return std::filesystem::path(xdg_runtime_dir) / "cardbridge" / "daemon.sock";
    return std::filesystem::path("/tmp") / ("cardbridge-" + std::to_string(uid)) / "daemon.sock";
}

std::filesystem::path default_socket_path() {
    return default_socket_path(std::getenv("XDG_RUNTIME_DIR"), ::geteuid());
}

void prepare_socket_directory(const std::filesystem::path& dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        fail(system_error("cannot create the socket directory", dir));
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) fail(system_error("cannot inspect", dir));
    if (!S_ISDIR(st.st_mode))
        fail(dir.string() + " is not a directory; remove it or choose another --socket");
    if (st.st_uid != ::geteuid())
        fail("the socket directory " + dir.string() + " belongs to uid " +
             std::to_string(st.st_uid) + ", not to us (uid " + std::to_string(::geteuid()) +
             "); remove it or choose another --socket");
    if ((st.st_mode & 077) != 0)
        fail("the socket directory " + dir.string() + " is open to other users (mode " +
             octal_mode(st.st_mode) + "); run chmod 700 " + dir.string() +
             " or choose another --socket");
}

void remove_stale_socket(const std::filesystem::path& socket) {
    struct stat st {};
    if (::lstat(socket.c_str(), &st) != 0) {
        if (errno == ENOENT) return;
        fail(system_error("cannot inspect", socket));
    }
    if (!S_ISSOCK(st.st_mode))
        fail(socket.string() + " exists and is not a socket; not replacing it");
    if (someone_listens_on(socket)) fail("another cardbridged is running on " + socket.string());
    if (::unlink(socket.c_str()) != 0 && errno != ENOENT)
        fail(system_error("cannot remove the stale socket", socket));
}

}  // namespace cardbridge::daemon
