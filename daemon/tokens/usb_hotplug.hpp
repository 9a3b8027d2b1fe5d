#pragma once
// The kernel's word that a USB device came or went (NETLINK_KOBJECT_UEVENT), for key modules
// that cannot report their own events (no C_WaitForSlotEvent, no SKF_WaitForDevEvent): their
// monitors rescan when this fires instead of polling. It blocks; nothing runs between events.

#include "cardbridge/unique_fd.hpp"

namespace cardbridge::daemon::tokens {

class UsbHotplug {
public:
    /// Opens the uevent socket. Error(NOT_SUPPORTED) when the kernel refuses it (some
    /// containers); callers then log that hot-plug needs a daemon restart for such modules.
    UsbHotplug();

    /// Blocks until a USB device is added or removed (true) or cancel() is called (false).
    /// Several uevents of one plug arrive as one: it returns after they have settled (300 ms
    /// without another), which is also when the device's driver is ready for the module.
    bool wait();

    /// From any thread: the current and every later wait() returns false.
    void cancel() noexcept;

private:
    UniqueFd socket_;
    UniqueFd cancel_;  // an eventfd
};

}  // namespace cardbridge::daemon::tokens
