#include "control_client.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/unique_fd.hpp"

namespace cardbridge::vcard {
namespace {

[[noreturn]] void fail(const std::filesystem::path& socket, const std::string& what) {
    throw Error(Reason::PCSC_UNAVAILABLE, "control socket " + socket.string() + ": " + what);
}

}  // namespace

std::string send_control_command(const std::filesystem::path& socket, std::string_view command) {
    sockaddr_un address{};
    if (socket.native().size() >= sizeof address.sun_path) fail(socket, "path too long");
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket.c_str(), sizeof address.sun_path - 1);

    const UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) fail(socket, std::strerror(errno));
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        fail(socket, std::strerror(errno));
    }
    const std::string line = std::string(command) + '\n';
    for (std::size_t sent = 0; sent < line.size();) {
        const auto n = ::send(fd.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno != EINTR) fail(socket, std::strerror(errno));
        if (n > 0) sent += static_cast<std::size_t>(n);
    }
    std::string reply;
    char byte = 0;
    while (true) {
        const auto n = ::recv(fd.get(), &byte, 1, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(socket, std::strerror(errno));
        if (n == 0) fail(socket, "closed before replying");
        if (byte == '\n') return reply;
        reply.push_back(byte);
    }
}

}  // namespace cardbridge::vcard
