#include "device_presence.hpp"

#include "device_store.hpp"
#include "store_error.hpp"

namespace cardbridge::softskf {

PresentSet scan_devices(const std::filesystem::path& store, bool present_only) {
    PresentSet devices;
    for (const std::string& name : device_names(store)) {
        try {
            const auto device = read_device(store, name);
            if (device && (device->present || !present_only))
                devices.emplace(name, device->insertion);
        } catch (const StoreError&) {
        }
    }
    return devices;
}

std::optional<DeviceChange> first_change(const PresentSet& reported, const PresentSet& current) {
    for (const auto& [name, insertion] : reported) {
        const auto now = current.find(name);
        if (now == current.end() || now->second != insertion)
            return DeviceChange{name, skf::DEV_EVENT_REMOVED, insertion};
    }
    for (const auto& [name, insertion] : current)
        if (!reported.contains(name)) return DeviceChange{name, skf::DEV_EVENT_INSERTED, insertion};
    return std::nullopt;
}

void apply_change(PresentSet& reported, const DeviceChange& change) {
    if (change.event == skf::DEV_EVENT_REMOVED)
        reported.erase(change.name);
    else
        reported[change.name] = change.insertion;
}

}  // namespace cardbridge::softskf
