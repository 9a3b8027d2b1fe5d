// §7.1 device functions (and §7.6.2 GenRandom, which takes a device handle).

#include <algorithm>

#include <openssl/rand.h>
#include <nlohmann/json.hpp>

#include "abi_io.hpp"
#include "device_access.hpp"
#include "device_presence.hpp"
#include "device_store.hpp"
#include "exports.hpp"
#include "module.hpp"

using namespace cardbridge::skf;
using namespace cardbridge::softskf;

namespace {

constexpr ULONG kMaxRandomBytes = 1024 * 1024;

// The device name a host passes, checked; SarError when it cannot name a device file.
std::string device_name_argument(const char* name) {
    const auto text = bounded_string(name, kMaxNameBytes);
    if (!text) throw SarError(SAR_NAMELENERR);
    if (!valid_device_name(*text)) throw SarError(SAR_INVALIDPARAMERR);
    return std::string(*text);
}

DEVINFO device_info(const DeviceRecord& device) {
    DEVINFO info{};
    info.Version = {1, 0};
    copy_text(info.Manufacturer, device.manufacturer);
    copy_text(info.Issuer, device.issuer);
    copy_text(info.Label, device.label);
    copy_text(info.SerialNumber, device.serial);
    info.HWVersion = {1, 0};
    info.FirmwareVersion = {1, 0};
    info.AlgSymCap = 0;  // no symmetric algorithms (README.md, "Not implemented")
    info.AlgAsymCap = SGD_SM2_1 | SGD_RSA;
    info.AlgHashCap = SGD_SM3 | SGD_SHA1 | SGD_SHA256;
    info.DevAuthAlgId = 0;
    info.TotalSpace = static_cast<ULONG>(kMaxDeviceFileBytes);
    // The store file's size cap stands in for the key's memory.
    const std::size_t used = device_to_json(device).dump().size();
    info.FreeSpace = static_cast<ULONG>(kMaxDeviceFileBytes - std::min(used, kMaxDeviceFileBytes));
    info.MaxECCBufferSize = 0;  // no SM2 encryption
    info.MaxBufferSize = 0;     // no symmetric encryption
    return info;
}

}  // namespace

ULONG SKF_EnumDev(unsigned long bPresent, LPSTR szNameList, ULONG* pulSize) {
    return locked([&](Module& state) -> ULONG {
        if (pulSize == nullptr) return SAR_INVALIDPARAMERR;
        // Only the low 32 bits: a host may pass a 4-byte BOOL in a register with junk above.
        const bool present_only = static_cast<std::uint32_t>(bPresent) != 0;
        const auto store = store_from_environment();
        PresentSet devices = store ? scan_devices(*store, present_only) : PresentSet{};
        std::vector<std::string> names;
        for (const auto& entry : devices) names.push_back(entry.first);
        const ULONG result = write_name_list(names, szNameList, pulSize);
        // The host now knows this list: device events are reported relative to it.
        if (result == SAR_OK && szNameList != nullptr && present_only && store)
            state.events.reported_by_enumeration(*store, std::move(devices));
        return result;
    });
}

ULONG SKF_ConnectDev(LPSTR szName, DEVHANDLE* phDev) {
    return locked([&](Module& state) -> ULONG {
        if (szName == nullptr || phDev == nullptr) return SAR_INVALIDPARAMERR;
        const std::string name = device_name_argument(szName);
        const auto store = store_from_environment();
        if (!store) return SAR_DEVICE_REMOVED;
        const auto device = read_device(*store, name);
        if (!device || !device->present) return SAR_DEVICE_REMOVED;
        *phDev = state.handles.add(DeviceObject{*store, name, device->insertion});
        return SAR_OK;
    });
}

ULONG SKF_DisConnectDev(DEVHANDLE hDev) {
    return locked([&](Module& state) -> ULONG {
        state.handles.device(hDev);  // throws for a handle that is not a live device
        state.handles.close_device(hDev);
        return SAR_OK;
    });
}

ULONG SKF_GetDevState(LPSTR szDevName, ULONG* pulDevState) {
    return locked([&](Module&) -> ULONG {
        if (szDevName == nullptr || pulDevState == nullptr) return SAR_INVALIDPARAMERR;
        const auto text = bounded_string(szDevName, kMaxNameBytes);
        if (!text) return SAR_NAMELENERR;
        const auto store = store_from_environment();
        bool present = false;
        if (store && valid_device_name(*text)) {
            try {
                const auto device = read_device(*store, *text);
                present = device && device->present;
            } catch (const StoreError&) {  // as EnumDev: a broken file is no device
            }
        }
        *pulDevState = present ? DEV_PRESENT_STATE : DEV_ABSENT_STATE;
        return SAR_OK;
    });
}

ULONG SKF_GetDevInfo(DEVHANDLE hDev, DEVINFO* pDevInfo) {
    return locked([&](Module& state) -> ULONG {
        if (pDevInfo == nullptr) return SAR_INVALIDPARAMERR;
        const DEVINFO info = device_info(load_device(state.handles, state.handles.device(hDev)));
        std::memcpy(pDevInfo, &info, sizeof info);
        return SAR_OK;
    });
}

// One process at a time is all a test needs; LockDev only checks that there is a device.
ULONG SKF_LockDev(DEVHANDLE hDev, ULONG) {
    return locked([&](Module& state) -> ULONG {
        load_device(state.handles, state.handles.device(hDev));
        return SAR_OK;
    });
}

ULONG SKF_UnlockDev(DEVHANDLE hDev) {
    return locked([&](Module& state) -> ULONG {
        load_device(state.handles, state.handles.device(hDev));
        return SAR_OK;
    });
}

ULONG SKF_GenRandom(DEVHANDLE hDev, BYTE* pbRandom, ULONG ulRandomLen) {
    return locked([&](Module& state) -> ULONG {
        if (pbRandom == nullptr) return SAR_INVALIDPARAMERR;
        if (ulRandomLen > kMaxRandomBytes) return SAR_INDATALENERR;
        load_device(state.handles, state.handles.device(hDev));
        if (ulRandomLen != 0 && RAND_bytes(pbRandom, static_cast<int>(ulRandomLen)) != 1)
            return SAR_GENRANDERR;
        return SAR_OK;
    });
}
