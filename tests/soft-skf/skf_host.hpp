#pragma once
// The soft SKF library as a host sees it: dlopen'ed by path, every function resolved by name
// into the shared ABI's function types, nothing else known about it.

#include <memory>
#include <string>

#include "skf_abi.hpp"

namespace cardbridge::softskf::test {

struct SkfLibrary {
    explicit SkfLibrary(const std::string& path);

    struct Unload {
        void operator()(void* library) const noexcept;
    };
    std::unique_ptr<void, Unload> handle;
    skf::SKF_EnumDev_t* EnumDev;
    skf::SKF_ConnectDev_t* ConnectDev;
    skf::SKF_DisConnectDev_t* DisConnectDev;
    skf::SKF_GetDevState_t* GetDevState;
    skf::SKF_GetDevInfo_t* GetDevInfo;
    skf::SKF_WaitForDevEvent_t* WaitForDevEvent;
    skf::SKF_CancelWaitForDevEvent_t* CancelWaitForDevEvent;
    skf::SKF_LockDev_t* LockDev;
    skf::SKF_UnlockDev_t* UnlockDev;
    skf::SKF_EnumApplication_t* EnumApplication;
    skf::SKF_OpenApplication_t* OpenApplication;
    skf::SKF_CloseApplication_t* CloseApplication;
    skf::SKF_GetPINInfo_t* GetPINInfo;
    skf::SKF_VerifyPIN_t* VerifyPIN;
    skf::SKF_ChangePIN_t* ChangePIN;
    skf::SKF_UnblockPIN_t* UnblockPIN;
    skf::SKF_ClearSecureState_t* ClearSecureState;
    skf::SKF_EnumContainer_t* EnumContainer;
    skf::SKF_OpenContainer_t* OpenContainer;
    skf::SKF_CloseContainer_t* CloseContainer;
    skf::SKF_GetContainerType_t* GetContainerType;
    skf::SKF_ExportCertificate_t* ExportCertificate;
    skf::SKF_ExportPublicKey_t* ExportPublicKey;
    skf::SKF_ECCSignData_t* ECCSignData;
    skf::SKF_RSASignData_t* RSASignData;
    skf::SKF_GenRandom_t* GenRandom;
};

/// The library built by this tree (CARDBRIDGE_SOFT_SKF_LIBRARY), loaded once per process.
SkfLibrary& soft_skf();

}  // namespace cardbridge::softskf::test
