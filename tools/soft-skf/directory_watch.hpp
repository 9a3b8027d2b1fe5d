#pragma once
// An inotify watch on the store directory: readable whenever a device file may have appeared,
// changed or gone (the store writes by rename, so IN_MOVED_TO covers most updates).

#include <filesystem>

#include "cardbridge/unique_fd.hpp"

namespace cardbridge::softskf {

class DirectoryWatch {
public:
    /// Throws StoreError when inotify is unavailable or the directory cannot be watched.
    explicit DirectoryWatch(std::filesystem::path store);

    const std::filesystem::path& store() const noexcept { return store_; }
    int fd() const noexcept { return fd_.get(); }
    /// Reads every queued notification; what they name does not matter, a rescan follows.
    void drain() noexcept;

private:
    std::filesystem::path store_;
    UniqueFd fd_;
};

}  // namespace cardbridge::softskf
