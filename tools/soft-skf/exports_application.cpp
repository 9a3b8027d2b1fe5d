// §7.3 applications, and §7.2's ClearSecureState (rights belong to an application handle).

#include "abi_io.hpp"
#include "device_access.hpp"
#include "exports.hpp"
#include "module.hpp"

using namespace cardbridge::skf;
using namespace cardbridge::softskf;

ULONG SKF_EnumApplication(DEVHANDLE hDev, LPSTR szAppName, ULONG* pulSize) {
    return locked([&](Module& state) -> ULONG {
        if (pulSize == nullptr) return SAR_INVALIDPARAMERR;
        const DeviceRecord device = load_device(state.handles, state.handles.device(hDev));
        std::vector<std::string> names;
        for (const auto& entry : device.applications) names.push_back(entry.first);
        return write_name_list(names, szAppName, pulSize);
    });
}

ULONG SKF_OpenApplication(DEVHANDLE hDev, LPSTR szAppName, HAPPLICATION* phApplication) {
    return locked([&](Module& state) -> ULONG {
        if (szAppName == nullptr || phApplication == nullptr) return SAR_INVALIDPARAMERR;
        DeviceObject& handle = state.handles.device(hDev);
        const auto name = bounded_string(szAppName, kMaxNameBytes);
        if (!name) return SAR_NAMELENERR;
        const DeviceRecord device = load_device(state.handles, handle);
        if (!device.applications.contains(std::string(*name))) return SAR_APPLICATION_NOT_EXISTS;
        *phApplication = state.handles.add(ApplicationObject{&handle, std::string(*name)});
        return SAR_OK;
    });
}

// Closing needs no device: a host must be able to free its handles after an unplug.
ULONG SKF_CloseApplication(HAPPLICATION hApplication) {
    return locked([&](Module& state) -> ULONG {
        state.handles.application(hApplication);
        state.handles.close_application(hApplication);
        return SAR_OK;
    });
}

ULONG SKF_ClearSecureState(HAPPLICATION hApplication) {
    return locked([&](Module& state) -> ULONG {
        ApplicationObject& application = state.handles.application(hApplication);
        application.user_rights = false;
        application.admin_rights = false;
        return SAR_OK;
    });
}
