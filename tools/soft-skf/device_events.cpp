#include "device_events.hpp"

#include <sys/eventfd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "store_error.hpp"

namespace cardbridge::softskf {

namespace fs = std::filesystem;

DeviceEvents::DeviceEvents() : cancel_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (!cancel_) throw StoreError(std::string("eventfd: ") + std::strerror(errno));
}

void DeviceEvents::reported_by_enumeration(const fs::path& store, PresentSet present) {
    reported_store_ = store;
    reported_ = std::move(present);
}

DeviceEvents::Step DeviceEvents::next(const std::optional<fs::path>& store) {
    std::error_code error;
    if (!store || !fs::is_directory(*store, error)) {
        watch_.reset();
        return {};
    }
    if (!watch_ || watch_->store() != *store) watch_ = std::make_shared<DirectoryWatch>(*store);
    const PresentSet current = scan_devices(*store, true);
    if (reported_store_ != *store || !reported_) {
        // No enumeration of this store to start from: the first Wait's view is the baseline.
        reported_store_ = *store;
        reported_ = current;
    }
    return {first_change(*reported_, current), watch_};
}

void DeviceEvents::commit(const DeviceChange& change) {
    if (reported_) apply_change(*reported_, change);
}

bool DeviceEvents::begin_wait() noexcept {
    if (waiting_) return false;
    waiting_ = true;
    return true;
}

void DeviceEvents::end_wait() noexcept {
    waiting_ = false;
}

void DeviceEvents::cancel() noexcept {
    // Cannot fail short of the counter overflowing, which 2^64 Cancels would take.
    ::eventfd_write(cancel_.get(), 1);
}

bool DeviceEvents::consume_cancel() noexcept {
    eventfd_t count = 0;
    return ::eventfd_read(cancel_.get(), &count) == 0 && count > 0;
}

}  // namespace cardbridge::softskf
