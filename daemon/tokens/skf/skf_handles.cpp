#include "tokens/skf/skf_handles.hpp"

namespace cardbridge::daemon::tokens {
namespace {

template <class Handle>
skf::ULONG adopt(const std::shared_ptr<const SkfLibrary>& library, skf::ULONG result, void* handle,
                 Handle& out) {
    if (result != skf::SAR_OK) return result;
    if (handle == nullptr) return skf::SAR_FAIL;
    out = Handle(library, handle);
    return skf::SAR_OK;
}

}  // namespace

// The standard's LPSTR parameters are not const, so each module gets a copy of the name.

skf::ULONG connect_device(const std::shared_ptr<const SkfLibrary>& library,
                          const std::string& device_name, SkfDevice& out) {
    std::string name = device_name;
    skf::DEVHANDLE handle = nullptr;
    const skf::ULONG result = library->call<&SkfFunctions::ConnectDev>(name.data(), &handle);
    return adopt(library, result, handle, out);
}

skf::ULONG open_application(const std::shared_ptr<const SkfLibrary>& library,
                            const SkfDevice& device, const std::string& name, SkfApplication& out) {
    std::string copy = name;
    skf::HAPPLICATION handle = nullptr;
    const skf::ULONG result =
        library->call<&SkfFunctions::OpenApplication>(device.get(), copy.data(), &handle);
    return adopt(library, result, handle, out);
}

skf::ULONG open_container(const std::shared_ptr<const SkfLibrary>& library,
                          const SkfApplication& application, const std::string& name,
                          SkfContainer& out) {
    std::string copy = name;
    skf::HCONTAINER handle = nullptr;
    const skf::ULONG result =
        library->call<&SkfFunctions::OpenContainer>(application.get(), copy.data(), &handle);
    return adopt(library, result, handle, out);
}

}  // namespace cardbridge::daemon::tokens
