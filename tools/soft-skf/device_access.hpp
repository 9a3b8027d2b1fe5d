#pragma once
// From a handle to the store's current record of its device, application or container. The
// file is read again on every call, so what the CLI changed (unplug, PIN counters, a new
// container) is seen at once; a device that is gone, or was unplugged and plugged again since
// the handle was opened, is SAR_DEVICE_REMOVED from then on.

#include <functional>

#include "device_record.hpp"
#include "handles.hpp"

namespace cardbridge::softskf {

/// The record of a device handle's device. Throws SarError: SAR_INVALIDHANDLEERR,
/// SAR_DEVICE_REMOVED (also marking the handle removed).
DeviceRecord load_device(Handles& handles, DeviceObject& device);

struct LoadedApplication {
    ApplicationObject& handle;
    ApplicationRecord record;
};
/// Also SAR_APPLICATION_NOT_EXISTS when the store no longer has the application.
LoadedApplication load_application(Handles& handles, const void* handle);

struct LoadedContainer {
    ApplicationObject& application;
    ContainerRecord record;
};
/// Also SAR_FILE_NOT_EXIST when the store no longer has the container.
LoadedContainer load_container(Handles& handles, const void* handle);

/// Under the store lock, reads the application's current record, lets `change` edit it and
/// writes the device back when `change` returns true (PIN counters and PINs).
void update_application(Handles& handles, ApplicationObject& application,
                        const std::function<bool(ApplicationRecord&)>& change);

}  // namespace cardbridge::softskf
