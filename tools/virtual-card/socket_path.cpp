#include "socket_path.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/unique_fd.hpp"

namespace cardbridge::vcard {
namespace {

bool someone_listens_on(const std::filesystem::path& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    const UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!probe) {
        throw Error(Reason::INTERNAL,
                    std::string("cannot create a socket: ") + std::strerror(errno));
    }
    return ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

}  // namespace

SocketPath::SocketPath(std::filesystem::path path) : path_(std::move(path)) {
    if (path_.native().size() >= sizeof(sockaddr_un::sun_path)) {
        throw Error(Reason::INVALID_PARAMS,
                    "control socket path is too long for a Unix socket: " + path_.string());
    }
    std::error_code error;
    const auto status = std::filesystem::symlink_status(path_, error);
    if (!std::filesystem::exists(status)) return;
    if (!std::filesystem::is_socket(status)) {
        throw Error(Reason::INVALID_PARAMS,
                    path_.string() + " exists and is not a socket; not replacing it");
    }
    if (someone_listens_on(path_)) {
        throw Error(Reason::INVALID_PARAMS,
                    "control socket " + path_.string() + " is in use by another process");
    }
    std::filesystem::remove(path_, error);
}

SocketPath::~SocketPath() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
}

}  // namespace cardbridge::vcard
