#pragma once
// The functions the library exports, declared through the shared ABI's function types, so a
// definition whose signature drifts from what the daemon's loader calls does not compile.
// Only these symbols are visible (-fvisibility=hidden and exports.map hide everything else).

#include "skf_abi.hpp"

#define SOFT_SKF_EXPORT(name) \
    extern "C" __attribute__((visibility("default"))) cardbridge::skf::name##_t name

SOFT_SKF_EXPORT(SKF_EnumDev);
SOFT_SKF_EXPORT(SKF_ConnectDev);
SOFT_SKF_EXPORT(SKF_DisConnectDev);
SOFT_SKF_EXPORT(SKF_GetDevState);
SOFT_SKF_EXPORT(SKF_GetDevInfo);
SOFT_SKF_EXPORT(SKF_LockDev);
SOFT_SKF_EXPORT(SKF_UnlockDev);
SOFT_SKF_EXPORT(SKF_WaitForDevEvent);
SOFT_SKF_EXPORT(SKF_CancelWaitForDevEvent);
SOFT_SKF_EXPORT(SKF_EnumApplication);
SOFT_SKF_EXPORT(SKF_OpenApplication);
SOFT_SKF_EXPORT(SKF_CloseApplication);
SOFT_SKF_EXPORT(SKF_GetPINInfo);
SOFT_SKF_EXPORT(SKF_VerifyPIN);
SOFT_SKF_EXPORT(SKF_ChangePIN);
SOFT_SKF_EXPORT(SKF_UnblockPIN);
SOFT_SKF_EXPORT(SKF_ClearSecureState);
SOFT_SKF_EXPORT(SKF_EnumContainer);
SOFT_SKF_EXPORT(SKF_OpenContainer);
SOFT_SKF_EXPORT(SKF_CloseContainer);
SOFT_SKF_EXPORT(SKF_GetContainerType);
SOFT_SKF_EXPORT(SKF_ExportCertificate);
SOFT_SKF_EXPORT(SKF_ExportPublicKey);
SOFT_SKF_EXPORT(SKF_ECCSignData);
SOFT_SKF_EXPORT(SKF_RSASignData);
SOFT_SKF_EXPORT(SKF_GenRandom);
