#pragma once
// The C ABI of GM/T 0016-2012 (SKF) as vendor modules on LP64 Linux export it, shared by the
// daemon's loader and tools/soft-skf. Facts and sources: docs/SKF.md (from the design notes):
// ULONG is 32 bits in every vendor header, structs are packed to 1, and BOOL is passed by
// value in a full register (any width works) but written through BOOL* by some vendors as 4
// bytes and by others as 8, so callers give BOOL* an 8-byte zeroed slot.

#include <cstdint>

namespace cardbridge::skf {

using ULONG = std::uint32_t;
using BOOL = std::int32_t;  // what a module of ours writes; hosts read BoolSlot
using BYTE = std::uint8_t;
using LPSTR = char*;
using HANDLE = void*;
using DEVHANDLE = void*;
using HAPPLICATION = void*;
using HCONTAINER = void*;

/// What a host passes for a BOOL* output: zeroed, wide enough for a 64-bit BOOL.
union BoolSlot {
    std::uint64_t wide = 0;
    std::int32_t narrow;
    bool value() const noexcept { return narrow != 0; }
};

// §3.1 return codes (the ones cardbridge reads or a module of ours returns).
inline constexpr ULONG SAR_OK = 0x00000000;
inline constexpr ULONG SAR_FAIL = 0x0A000001;
inline constexpr ULONG SAR_UNKNOWNERR = 0x0A000002;
inline constexpr ULONG SAR_NOTSUPPORTYETERR = 0x0A000003;
inline constexpr ULONG SAR_FILEERR = 0x0A000004;
inline constexpr ULONG SAR_INVALIDHANDLEERR = 0x0A000005;
inline constexpr ULONG SAR_INVALIDPARAMERR = 0x0A000006;
inline constexpr ULONG SAR_NAMELENERR = 0x0A000009;
inline constexpr ULONG SAR_KEYUSAGEERR = 0x0A00000A;
inline constexpr ULONG SAR_MODULUSLENERR = 0x0A00000B;
inline constexpr ULONG SAR_NOTINITIALIZEERR = 0x0A00000C;
inline constexpr ULONG SAR_OBJERR = 0x0A00000D;
inline constexpr ULONG SAR_MEMORYERR = 0x0A00000E;
inline constexpr ULONG SAR_TIMEOUTERR = 0x0A00000F;
inline constexpr ULONG SAR_INDATALENERR = 0x0A000010;
inline constexpr ULONG SAR_INDATAERR = 0x0A000011;
inline constexpr ULONG SAR_HASHERR = 0x0A000014;
inline constexpr ULONG SAR_KEYNOTFOUNTERR = 0x0A00001B;
inline constexpr ULONG SAR_CERTNOTFOUNTERR = 0x0A00001C;
inline constexpr ULONG SAR_BUFFER_TOO_SMALL = 0x0A000020;
inline constexpr ULONG SAR_NOT_EVENTERR = 0x0A000022;
inline constexpr ULONG SAR_DEVICE_REMOVED = 0x0A000023;
inline constexpr ULONG SAR_PIN_INCORRECT = 0x0A000024;
inline constexpr ULONG SAR_PIN_LOCKED = 0x0A000025;
inline constexpr ULONG SAR_PIN_INVALID = 0x0A000026;
inline constexpr ULONG SAR_PIN_LEN_RANGE = 0x0A000027;
inline constexpr ULONG SAR_USER_ALREADY_LOGGED_IN = 0x0A000028;
inline constexpr ULONG SAR_USER_TYPE_INVALID = 0x0A00002A;
inline constexpr ULONG SAR_APPLICATION_NAME_INVALID = 0x0A00002B;
inline constexpr ULONG SAR_USER_NOT_LOGGED_IN = 0x0A00002D;
inline constexpr ULONG SAR_APPLICATION_NOT_EXISTS = 0x0A00002E;

// §3.2 algorithm identifiers: SM2 signing as vendor SKF headers number it, and as GM/T 0006.
inline constexpr ULONG SGD_SM2_1 = 0x00020100;
inline constexpr ULONG SGD_SM2_1_GMT0006 = 0x00020200;
inline constexpr ULONG SGD_RSA = 0x00010000;
inline constexpr ULONG SGD_SM3 = 0x00000001;
inline constexpr ULONG SGD_SHA1 = 0x00000002;
inline constexpr ULONG SGD_SHA256 = 0x00000004;

// §3.3
inline constexpr ULONG ADMIN_TYPE = 0;
inline constexpr ULONG USER_TYPE = 1;
inline constexpr ULONG DEV_ABSENT_STATE = 0;
inline constexpr ULONG DEV_PRESENT_STATE = 1;
inline constexpr ULONG CONTAINER_EMPTY = 0;
inline constexpr ULONG CONTAINER_RSA = 1;
inline constexpr ULONG CONTAINER_ECC = 2;
inline constexpr ULONG DEV_EVENT_INSERTED = 1;
inline constexpr ULONG DEV_EVENT_REMOVED = 2;

inline constexpr ULONG MAX_RSA_MODULUS_LEN = 256;
inline constexpr ULONG MAX_RSA_EXPONENT_LEN = 4;
inline constexpr ULONG ECC_MAX_COORDINATE_LEN = 64;  // bytes; SM2 values right-aligned

#pragma pack(push, 1)
struct VERSION {
    BYTE major;
    BYTE minor;
};
struct DEVINFO {
    VERSION Version;
    char Manufacturer[64];
    char Issuer[64];
    char Label[32];
    char SerialNumber[32];
    VERSION HWVersion;
    VERSION FirmwareVersion;
    ULONG AlgSymCap;
    ULONG AlgAsymCap;
    ULONG AlgHashCap;
    ULONG DevAuthAlgId;
    ULONG TotalSpace;
    ULONG FreeSpace;
    ULONG MaxECCBufferSize;
    ULONG MaxBufferSize;
    BYTE Reserved[64];
};
struct RSAPUBLICKEYBLOB {
    ULONG AlgID;
    ULONG BitLen;
    BYTE Modulus[MAX_RSA_MODULUS_LEN];
    BYTE PublicExponent[MAX_RSA_EXPONENT_LEN];
};
struct ECCPUBLICKEYBLOB {
    ULONG BitLen;
    BYTE XCoordinate[ECC_MAX_COORDINATE_LEN];
    BYTE YCoordinate[ECC_MAX_COORDINATE_LEN];
};
struct ECCSIGNATUREBLOB {
    BYTE r[ECC_MAX_COORDINATE_LEN];
    BYTE s[ECC_MAX_COORDINATE_LEN];
};
#pragma pack(pop)

static_assert(sizeof(DEVINFO) == 294);
static_assert(sizeof(RSAPUBLICKEYBLOB) == 268);
static_assert(sizeof(ECCPUBLICKEYBLOB) == 132);
static_assert(sizeof(ECCSIGNATUREBLOB) == 128);

// The functions cardbridge calls, as function types (SysV on Linux; DEVAPI is empty there).
// By-value BOOL parameters are declared `unsigned long` (see the file comment).
extern "C" {
using SKF_EnumDev_t = ULONG(unsigned long bPresent, LPSTR szNameList, ULONG* pulSize);
using SKF_ConnectDev_t = ULONG(LPSTR szName, DEVHANDLE* phDev);
using SKF_DisConnectDev_t = ULONG(DEVHANDLE hDev);
using SKF_GetDevState_t = ULONG(LPSTR szDevName, ULONG* pulDevState);
using SKF_GetDevInfo_t = ULONG(DEVHANDLE hDev, DEVINFO* pDevInfo);
using SKF_WaitForDevEvent_t = ULONG(LPSTR szDevName, ULONG* pulDevNameLen, ULONG* pulEvent);
using SKF_CancelWaitForDevEvent_t = ULONG();
using SKF_LockDev_t = ULONG(DEVHANDLE hDev, ULONG ulTimeOut);
using SKF_UnlockDev_t = ULONG(DEVHANDLE hDev);
using SKF_EnumApplication_t = ULONG(DEVHANDLE hDev, LPSTR szAppName, ULONG* pulSize);
using SKF_OpenApplication_t = ULONG(DEVHANDLE hDev, LPSTR szAppName, HAPPLICATION* phApplication);
using SKF_CloseApplication_t = ULONG(HAPPLICATION hApplication);
using SKF_GetPINInfo_t = ULONG(HAPPLICATION hApplication, ULONG ulPINType, ULONG* pulMaxRetryCount,
                               ULONG* pulRemainRetryCount, BoolSlot* pbDefaultPin);
using SKF_VerifyPIN_t = ULONG(HAPPLICATION hApplication, ULONG ulPINType, LPSTR szPIN,
                              ULONG* pulRetryCount);
using SKF_ChangePIN_t = ULONG(HAPPLICATION hApplication, ULONG ulPINType, LPSTR szOldPin,
                              LPSTR szNewPin, ULONG* pulRetryCount);
using SKF_ClearSecureState_t = ULONG(HAPPLICATION hApplication);
using SKF_EnumContainer_t = ULONG(HAPPLICATION hApplication, LPSTR szContainerName, ULONG* pulSize);
using SKF_OpenContainer_t = ULONG(HAPPLICATION hApplication, LPSTR szContainerName,
                                  HCONTAINER* phContainer);
using SKF_CloseContainer_t = ULONG(HCONTAINER hContainer);
using SKF_GetContainerType_t = ULONG(HCONTAINER hContainer, ULONG* pulContainerType);
using SKF_ExportCertificate_t = ULONG(HCONTAINER hContainer, unsigned long bSignFlag, BYTE* pbCert,
                                      ULONG* pulCertLen);
using SKF_ExportPublicKey_t = ULONG(HCONTAINER hContainer, unsigned long bSignFlag, BYTE* pbBlob,
                                    ULONG* pulBlobLen);
using SKF_ECCSignData_t = ULONG(HCONTAINER hContainer, BYTE* pbDigest, ULONG ulDigestLen,
                                ECCSIGNATUREBLOB* pSignature);
using SKF_RSASignData_t = ULONG(HCONTAINER hContainer, BYTE* pbData, ULONG ulDataLen,
                                BYTE* pbSignature, ULONG* pulSignLen);
}

// Appended for tools/soft-skf: codes and functions the software module returns or exports.
inline constexpr ULONG SAR_GENRANDERR = 0x0A000012;
inline constexpr ULONG SAR_KEYINFOTYPEERR = 0x0A000021;
inline constexpr ULONG SAR_FILE_NOT_EXIST = 0x0A000031;
extern "C" {
using SKF_UnblockPIN_t = ULONG(HAPPLICATION hApplication, LPSTR szAdminPIN, LPSTR szNewUserPIN,
                               ULONG* pulRetryCount);
using SKF_GenRandom_t = ULONG(DEVHANDLE hDev, BYTE* pbRandom, ULONG ulRandomLen);
}

}  // namespace cardbridge::skf
