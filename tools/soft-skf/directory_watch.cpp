#include "directory_watch.hpp"

#include <sys/inotify.h>

#include <cerrno>
#include <cstring>

#include "store_error.hpp"

namespace cardbridge::softskf {

DirectoryWatch::DirectoryWatch(std::filesystem::path store)
    : store_(std::move(store)), fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    if (!fd_) throw StoreError(std::string("inotify: ") + std::strerror(errno));
    constexpr std::uint32_t kMask =
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_DELETE_SELF;
    if (::inotify_add_watch(fd_.get(), store_.c_str(), kMask) < 0)
        throw StoreError(store_.string() + ": cannot watch: " + std::strerror(errno));
}

void DirectoryWatch::drain() noexcept {
    alignas(inotify_event) char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(fd_.get(), buffer, sizeof buffer);
        if (got > 0) continue;
        if (got < 0 && errno == EINTR) continue;
        return;  // EAGAIN: empty
    }
}

}  // namespace cardbridge::softskf
