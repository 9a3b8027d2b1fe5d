#pragma once
// The handles soft-skf gives out. A handle is the address of an object owned here, but it is
// only ever looked up, never dereferenced as given: a stale, foreign or mistyped handle finds
// nothing and becomes SAR_INVALIDHANDLEERR instead of a crash. Closing a device closes its
// applications and containers, so no object outlives the one it points to.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

namespace cardbridge::softskf {

struct DeviceObject {
    std::filesystem::path store;  // the store at ConnectDev, whatever the environment says later
    std::string name;
    std::uint64_t insertion = 0;  // the device's insertion count at ConnectDev
    bool removed = false;         // once seen removed, the handle stays dead (as on a real key)
};

struct ApplicationObject {
    DeviceObject* device = nullptr;
    std::string name;
    bool user_rights = false;  // VerifyPIN(USER) succeeded on this handle
    bool admin_rights = false;
};

struct ContainerObject {
    ApplicationObject* application = nullptr;
    std::string name;
};

class Handles {
public:
    /// Each returns the new handle; SarError(SAR_MEMORYERR) past kMaxHandles of a kind.
    void* add(DeviceObject device);
    void* add(ApplicationObject application);
    void* add(ContainerObject container);

    /// The live object of that kind, or SarError(SAR_INVALIDHANDLEERR).
    DeviceObject& device(const void* handle) const;
    ApplicationObject& application(const void* handle) const;
    ContainerObject& container(const void* handle) const;

    void close_device(const void* handle) noexcept;
    void close_application(const void* handle) noexcept;
    void close_container(const void* handle) noexcept;

    /// The device was found removed: its handles lose every right for good.
    void mark_removed(DeviceObject& device) noexcept;

private:
    static constexpr std::size_t kMaxHandles = 4096;

    template <typename T>
    using Table = std::unordered_map<const void*, std::unique_ptr<T>>;

    Table<DeviceObject> devices_;
    Table<ApplicationObject> applications_;
    Table<ContainerObject> containers_;
};

}  // namespace cardbridge::softskf
