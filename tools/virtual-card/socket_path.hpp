#pragma once
// The file-system name of a listening Unix socket, owned for the life of the listener.

#include <filesystem>

namespace cardbridge::vcard {

class SocketPath {
public:
    /// Claims `path` for a socket about to be bound there. A socket left behind by a run that
    /// was killed is removed; a socket someone still listens on, or any other kind of file, is
    /// left alone and reported with Error(INVALID_PARAMS).
    explicit SocketPath(std::filesystem::path path);
    /// Removes the socket file, so a clean exit leaves nothing behind.
    ~SocketPath();
    SocketPath(const SocketPath&) = delete;
    SocketPath& operator=(const SocketPath&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace cardbridge::vcard
