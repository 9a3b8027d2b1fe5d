#include "transport/inherited_sockets.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <sstream>

#include <boost/asio/ip/tcp.hpp>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon {

namespace {

namespace ip = boost::asio::ip;

[[noreturn]] void refuse(int fd, const std::string& what) {
    throw Error(Reason::INTERNAL, "socket activation: fd " + std::to_string(fd) + " " + what +
                                      "; the unit may pass loopback TCP and one Unix stream "
                                      "socket only (ListenStream=)");
}

/// For the error message: what kind of descriptor `fd` is, when it is not one we take.
std::string kind_of(int fd) {
    if (sd_is_socket(fd, AF_UNSPEC, 0, -1) <= 0) return "is not a socket";
    int type = 0;
    socklen_t size = sizeof type;
    ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size);
    if (type == SOCK_DGRAM) return "is a datagram socket (ListenDatagram=)";
    if (type == SOCK_SEQPACKET) return "is a sequential packet socket (ListenSequentialPacket=)";
    if (type == SOCK_STREAM) return "is a stream socket that is not listening";
    return "is a socket of another kind";
}

ip::tcp::endpoint tcp_endpoint(int fd) {
    sockaddr_storage storage{};
    socklen_t size = sizeof storage;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &size) != 0)
        refuse(fd, std::string("cannot be inspected: ") + std::strerror(errno));
    ip::tcp::endpoint endpoint;
    size = std::min<socklen_t>(size, static_cast<socklen_t>(endpoint.capacity()));
    std::memcpy(endpoint.data(), &storage, size);
    endpoint.resize(size);
    return endpoint;
}

std::filesystem::path unix_path(int fd) {
    sockaddr_un address{};
    socklen_t size = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
        refuse(fd, std::string("cannot be inspected: ") + std::strerror(errno));
    // The CLI and the native host find the daemon by path, which an abstract socket has not.
    if (size <= offsetof(sockaddr_un, sun_path) || address.sun_path[0] == '\0')
        refuse(fd, "is an abstract or unnamed Unix socket, which local tools cannot find");
    return std::string(address.sun_path,
                       strnlen(address.sun_path, size - offsetof(sockaddr_un, sun_path)));
}

}  // namespace

InheritedSockets classify_sockets(std::vector<UniqueFd> fds) {
    InheritedSockets sockets;
    for (auto& fd : fds) {
        const int n = fd.get();
        if (sd_is_socket_inet(n, AF_INET, SOCK_STREAM, 1, 0) > 0 ||
            sd_is_socket_inet(n, AF_INET6, SOCK_STREAM, 1, 0) > 0) {
            const auto at = tcp_endpoint(n);
            if (!at.address().is_loopback()) {
                std::ostringstream where;
                where << at;
                refuse(n, "listens on " + where.str() +
                              ", which is not a loopback address (127.0.0.0/8 or ::1): the daemon "
                              "lends the card to whoever can reach it");
            }
            sockets.websocket.push_back(std::move(fd));
        } else if (sd_is_socket_unix(n, SOCK_STREAM, 1, nullptr, 0) > 0) {
            if (sockets.local)
                refuse(n, "is a second Unix socket (the first: " + sockets.local_path.string() + ")");
            sockets.local_path = unix_path(n);
            sockets.local = std::move(fd);
        } else {
            refuse(n, kind_of(n));
        }
    }
    if (!sockets.local)
        throw Error(Reason::INTERNAL,
                    "socket activation: systemd passed no Unix stream socket for the local "
                    "socket (ListenStream=%t/cardbridge/daemon.sock)");
    return sockets;
}

std::optional<InheritedSockets> take_inherited_sockets() {
    const int count = sd_listen_fds(1);
    if (count < 0)
        throw Error(Reason::INTERNAL, std::string("socket activation: cannot take the sockets "
                                                  "systemd passed: ") +
                                          std::strerror(-count));
    if (count == 0) return std::nullopt;
    std::vector<UniqueFd> fds;
    for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + count; ++fd) fds.emplace_back(fd);
    return classify_sockets(std::move(fds));
}

}  // namespace cardbridge::daemon
