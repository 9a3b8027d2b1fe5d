#pragma once
// One vendor SKF (GM/T 0016) module, loaded with dlopen and unloaded when the last user lets go
// (tokens keep it alive through shared_ptr). Each function is resolved on its own, since real
// modules leave out different ones (notes §5): calling a missing one is Error(NOT_SUPPORTED),
// and a module without the functions every token needs is refused at load.
//
// Thread safety is unspecified by the standard and some modules keep global state unguarded,
// so every call goes through one mutex per library. The exceptions are SKF_WaitForDevEvent,
// which blocks until a key comes or goes, and SKF_CancelWaitForDevEvent, whose whole purpose
// is to be called while the wait blocks (notes §6.9, §6.10).

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cardbridge/protocol/error.hpp"
#include "tokens/skf/skf_abi.hpp"

namespace cardbridge::daemon::tokens {

template <class F>
struct SkfSymbol {
    F* function = nullptr;
    const char* name;
    bool essential = false;  // the library is refused without it
};

// The functions cardbridge calls. Names follow the standard's, minus the prefix.
struct SkfFunctions {
    SkfSymbol<skf::SKF_EnumDev_t> EnumDev{nullptr, "SKF_EnumDev", true};
    SkfSymbol<skf::SKF_ConnectDev_t> ConnectDev{nullptr, "SKF_ConnectDev", true};
    SkfSymbol<skf::SKF_DisConnectDev_t> DisConnectDev{nullptr, "SKF_DisConnectDev", true};
    SkfSymbol<skf::SKF_GetDevInfo_t> GetDevInfo{nullptr, "SKF_GetDevInfo"};
    SkfSymbol<skf::SKF_WaitForDevEvent_t> WaitForDevEvent{nullptr, "SKF_WaitForDevEvent"};
    SkfSymbol<skf::SKF_CancelWaitForDevEvent_t> CancelWaitForDevEvent{nullptr,
                                                                      "SKF_CancelWaitForDevEvent"};
    SkfSymbol<skf::SKF_LockDev_t> LockDev{nullptr, "SKF_LockDev"};
    SkfSymbol<skf::SKF_UnlockDev_t> UnlockDev{nullptr, "SKF_UnlockDev"};
    SkfSymbol<skf::SKF_EnumApplication_t> EnumApplication{nullptr, "SKF_EnumApplication", true};
    SkfSymbol<skf::SKF_OpenApplication_t> OpenApplication{nullptr, "SKF_OpenApplication", true};
    SkfSymbol<skf::SKF_CloseApplication_t> CloseApplication{nullptr, "SKF_CloseApplication", true};
    SkfSymbol<skf::SKF_GetPINInfo_t> GetPINInfo{nullptr, "SKF_GetPINInfo"};
    SkfSymbol<skf::SKF_VerifyPIN_t> VerifyPIN{nullptr, "SKF_VerifyPIN", true};
    SkfSymbol<skf::SKF_ChangePIN_t> ChangePIN{nullptr, "SKF_ChangePIN"};
    SkfSymbol<skf::SKF_ClearSecureState_t> ClearSecureState{nullptr, "SKF_ClearSecureState"};
    SkfSymbol<skf::SKF_EnumContainer_t> EnumContainer{nullptr, "SKF_EnumContainer", true};
    SkfSymbol<skf::SKF_OpenContainer_t> OpenContainer{nullptr, "SKF_OpenContainer", true};
    SkfSymbol<skf::SKF_CloseContainer_t> CloseContainer{nullptr, "SKF_CloseContainer", true};
    SkfSymbol<skf::SKF_ExportCertificate_t> ExportCertificate{nullptr, "SKF_ExportCertificate",
                                                              true};
    SkfSymbol<skf::SKF_ECCSignData_t> ECCSignData{nullptr, "SKF_ECCSignData", true};
    SkfSymbol<skf::SKF_RSASignData_t> RSASignData{nullptr, "SKF_RSASignData"};
};

class SkfLibrary {
public:
    /// Loads the module at `path` (RTLD_NOW | RTLD_LOCAL). Error(NOT_SUPPORTED) with a message
    /// naming the path when it cannot be loaded, lacks an essential function, or writes 64-bit
    /// ULONGs (notes §1.1: its every pointer argument and struct would be misread).
    static std::shared_ptr<const SkfLibrary> load(const std::string& path);

    ~SkfLibrary();
    SkfLibrary(const SkfLibrary&) = delete;
    SkfLibrary& operator=(const SkfLibrary&) = delete;

    const std::string& path() const noexcept { return path_; }
    /// The path's last component: what reader names show a user.
    const std::string& file_name() const noexcept { return file_name_; }

    template <auto Member>
    bool has() const noexcept {
        return (functions_.*Member).function != nullptr;
    }

    /// Calls the function, serialised with every other call into this library; the module's
    /// answer is returned as is. Error(NOT_SUPPORTED) when the module lacks the function.
    template <auto Member, class... Args>
    skf::ULONG call(Args... args) const {
        const auto& symbol = functions_.*Member;
        if (symbol.function == nullptr) throw missing(symbol.name);
        const std::lock_guard lock(mutex_);
        return symbol.function(args...);
    }

    /// As call(), outside the mutex: for SKF_WaitForDevEvent and SKF_CancelWaitForDevEvent only.
    template <auto Member, class... Args>
    skf::ULONG call_unserialised(Args... args) const {
        static_assert(
            std::is_same_v<decltype(Member), decltype(&SkfFunctions::WaitForDevEvent)> ||
            std::is_same_v<decltype(Member), decltype(&SkfFunctions::CancelWaitForDevEvent)>);
        const auto& symbol = functions_.*Member;
        if (symbol.function == nullptr) throw missing(symbol.name);
        return symbol.function(args...);
    }

    /// SKF_EnumDev(TRUE): the names of the devices present now.
    std::vector<std::string> present_devices() const;

private:
    struct Unload {
        void operator()(void* handle) const noexcept;
    };

    SkfLibrary(std::string path, std::unique_ptr<void, Unload> handle);
    void resolve();
    void probe_ulong_width() const;
    Error missing(const char* function) const;

    std::string path_;
    std::string file_name_;
    std::unique_ptr<void, Unload> handle_;
    SkfFunctions functions_;
    mutable std::mutex mutex_;
};

}  // namespace cardbridge::daemon::tokens
