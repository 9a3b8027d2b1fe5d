#pragma once
// SKF_WaitForDevEvent's state: what the host was last told about present devices, the watch
// on the store, and the eventfd that SKF_CancelWaitForDevEvent signals (README.md, "Device
// events"). Everything but the cancel eventfd is used under the module mutex.

#include <filesystem>
#include <memory>
#include <optional>

#include "device_presence.hpp"
#include "directory_watch.hpp"
#include "cardbridge/unique_fd.hpp"

namespace cardbridge::softskf {

class DeviceEvents {
public:
    /// Throws StoreError when no eventfd can be made.
    DeviceEvents();

    /// SKF_EnumDev(TRUE) returned `present` from `store`: later events are relative to it.
    void reported_by_enumeration(const std::filesystem::path& store, PresentSet present);

    struct Step {
        std::optional<DeviceChange> change;     // report this (then commit it)
        std::shared_ptr<DirectoryWatch> watch;  // otherwise wait on this (null: nothing to watch)
    };
    /// Watches `store` (before scanning it, so no change slips between the two) and returns
    /// the first difference from what the host was told. No store directory: nothing to watch.
    Step next(const std::optional<std::filesystem::path>& store);
    void commit(const DeviceChange& change);

    /// A second thread may not wait while one does; false when one already is.
    bool begin_wait() noexcept;
    void end_wait() noexcept;

    // Lock-free: callable from any thread, at any time.
    void cancel() noexcept;
    /// Whether a Cancel arrived since the last one was consumed (several count as one).
    bool consume_cancel() noexcept;
    int cancel_fd() const noexcept { return cancel_.get(); }

private:
    UniqueFd cancel_;
    std::shared_ptr<DirectoryWatch> watch_;
    std::optional<std::filesystem::path> reported_store_;
    std::optional<PresentSet> reported_;
    bool waiting_ = false;
};

}  // namespace cardbridge::softskf
