#include "handles.hpp"

#include <algorithm>
#include <vector>

#include "sar_error.hpp"

namespace cardbridge::softskf {
namespace {

template <typename Table, typename T>
void* insert(Table& table, T object, std::size_t limit) {
    if (table.size() >= limit) throw SarError(skf::SAR_MEMORYERR);
    auto owned = std::make_unique<T>(std::move(object));
    void* handle = owned.get();
    table.emplace(handle, std::move(owned));
    return handle;
}

template <typename Table>
auto& find(const Table& table, const void* handle) {
    const auto found = table.find(handle);
    if (found == table.end()) throw SarError(skf::SAR_INVALIDHANDLEERR);
    return *found->second;
}

}  // namespace

void* Handles::add(DeviceObject device) {
    return insert(devices_, std::move(device), kMaxHandles);
}
void* Handles::add(ApplicationObject application) {
    return insert(applications_, std::move(application), kMaxHandles);
}
void* Handles::add(ContainerObject container) {
    return insert(containers_, std::move(container), kMaxHandles);
}

DeviceObject& Handles::device(const void* handle) const {
    return find(devices_, handle);
}
ApplicationObject& Handles::application(const void* handle) const {
    return find(applications_, handle);
}
ContainerObject& Handles::container(const void* handle) const {
    return find(containers_, handle);
}

void Handles::close_container(const void* handle) noexcept {
    containers_.erase(handle);
}

void Handles::close_application(const void* handle) noexcept {
    std::erase_if(containers_,
                  [handle](const auto& entry) { return entry.second->application == handle; });
    applications_.erase(handle);
}

void Handles::close_device(const void* handle) noexcept {
    std::vector<const void*> applications;
    for (const auto& [key, application] : applications_)
        if (application->device == handle) applications.push_back(key);
    for (const void* application : applications) close_application(application);
    devices_.erase(handle);
}

void Handles::mark_removed(DeviceObject& device) noexcept {
    device.removed = true;
    for (auto& [key, application] : applications_) {
        if (application->device != &device) continue;
        application->user_rights = false;
        application->admin_rights = false;
    }
}

}  // namespace cardbridge::softskf
