#include "skf_host.hpp"

#include <dlfcn.h>

#include <stdexcept>

namespace cardbridge::softskf::test {
namespace {

template <typename Function>
Function* resolve(void* library, const char* name) {
    void* symbol = ::dlsym(library, name);
    if (symbol == nullptr) throw std::runtime_error(std::string("missing export ") + name);
    return reinterpret_cast<Function*>(symbol);
}

}  // namespace

SkfLibrary::SkfLibrary(const std::string& path)
    : handle(::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    if (handle == nullptr) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
#define CARDBRIDGE_RESOLVE(name) name = resolve<skf::SKF_##name##_t>(handle.get(), "SKF_" #name)
    CARDBRIDGE_RESOLVE(EnumDev);
    CARDBRIDGE_RESOLVE(ConnectDev);
    CARDBRIDGE_RESOLVE(DisConnectDev);
    CARDBRIDGE_RESOLVE(GetDevState);
    CARDBRIDGE_RESOLVE(GetDevInfo);
    CARDBRIDGE_RESOLVE(WaitForDevEvent);
    CARDBRIDGE_RESOLVE(CancelWaitForDevEvent);
    CARDBRIDGE_RESOLVE(LockDev);
    CARDBRIDGE_RESOLVE(UnlockDev);
    CARDBRIDGE_RESOLVE(EnumApplication);
    CARDBRIDGE_RESOLVE(OpenApplication);
    CARDBRIDGE_RESOLVE(CloseApplication);
    CARDBRIDGE_RESOLVE(GetPINInfo);
    CARDBRIDGE_RESOLVE(VerifyPIN);
    CARDBRIDGE_RESOLVE(ChangePIN);
    CARDBRIDGE_RESOLVE(UnblockPIN);
    CARDBRIDGE_RESOLVE(ClearSecureState);
    CARDBRIDGE_RESOLVE(EnumContainer);
    CARDBRIDGE_RESOLVE(OpenContainer);
    CARDBRIDGE_RESOLVE(CloseContainer);
    CARDBRIDGE_RESOLVE(GetContainerType);
    CARDBRIDGE_RESOLVE(ExportCertificate);
    CARDBRIDGE_RESOLVE(ExportPublicKey);
    CARDBRIDGE_RESOLVE(ECCSignData);
    CARDBRIDGE_RESOLVE(RSASignData);
    CARDBRIDGE_RESOLVE(GenRandom);
#undef CARDBRIDGE_RESOLVE
}

void SkfLibrary::Unload::operator()(void* library) const noexcept {
    ::dlclose(library);
}

SkfLibrary& soft_skf() {
    static SkfLibrary library(CARDBRIDGE_SOFT_SKF_LIBRARY);
    return library;
}

}  // namespace cardbridge::softskf::test
