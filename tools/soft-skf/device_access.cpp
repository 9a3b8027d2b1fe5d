#include "device_access.hpp"

#include "device_store.hpp"
#include "sar_error.hpp"

namespace cardbridge::softskf {
namespace {

ApplicationRecord& application_in(DeviceRecord& device, const ApplicationObject& application) {
    const auto found = device.applications.find(application.name);
    if (found == device.applications.end()) throw SarError(skf::SAR_APPLICATION_NOT_EXISTS);
    return found->second;
}

}  // namespace

DeviceRecord load_device(Handles& handles, DeviceObject& device) {
    if (device.removed) throw SarError(skf::SAR_DEVICE_REMOVED);
    auto record = read_device(device.store, device.name);
    if (!record || !record->present || record->insertion != device.insertion) {
        handles.mark_removed(device);
        throw SarError(skf::SAR_DEVICE_REMOVED);
    }
    return std::move(*record);
}

LoadedApplication load_application(Handles& handles, const void* handle) {
    ApplicationObject& application = handles.application(handle);
    DeviceRecord device = load_device(handles, *application.device);
    return {application, std::move(application_in(device, application))};
}

LoadedContainer load_container(Handles& handles, const void* handle) {
    ContainerObject& container = handles.container(handle);
    auto [application, record] = load_application(handles, container.application);
    const auto found = record.containers.find(container.name);
    if (found == record.containers.end()) throw SarError(skf::SAR_FILE_NOT_EXIST);
    return {application, std::move(found->second)};
}

void update_application(Handles& handles, ApplicationObject& application,
                        const std::function<bool(ApplicationRecord&)>& change) {
    DeviceObject& device = *application.device;
    const StoreLock lock(device.store);
    DeviceRecord record = load_device(handles, device);
    if (change(application_in(record, application))) write_device(device.store, record);
}

}  // namespace cardbridge::softskf
