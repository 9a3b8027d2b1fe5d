#pragma once
// The numbers of SP 800-73-4 part 2 that the virtual card answers to, in one place.

#include <array>
#include <cstdint>

#include "cardbridge/protocol/tlv.hpp"

namespace cardbridge::vcard::piv {

// A0 00 00 03 08 is NIST's RID, then PIX 00 00 10 00 (PIV) and version 01 00.
inline constexpr std::array<std::uint8_t, 11> kAid{0xA0, 0x00, 0x00, 0x03, 0x08, 0x00,
                                                   0x00, 0x10, 0x00, 0x01, 0x00};
// Clients select with the RID alone or with RID + PIX; ISO 7816-4 allows right-truncated AIDs.
inline constexpr std::size_t kShortestAidPrefix = 5;

namespace ins {
inline constexpr std::uint8_t kSelect = 0xA4;
inline constexpr std::uint8_t kGetData = 0xCB;
inline constexpr std::uint8_t kVerify = 0x20;
inline constexpr std::uint8_t kChangeReferenceData = 0x24;
inline constexpr std::uint8_t kResetRetryCounter = 0x2C;
inline constexpr std::uint8_t kGeneralAuthenticate = 0x87;
inline constexpr std::uint8_t kGetResponse = 0xC0;
}  // namespace ins

enum class KeyRef : std::uint8_t { PIN = 0x80, PUK = 0x81 };

enum class Slot : std::uint8_t {
    PIV_AUTHENTICATION = 0x9A,
    SIGNATURE = 0x9C,
    KEY_MANAGEMENT = 0x9D,
    CARD_AUTHENTICATION = 0x9E,
};

/// SP 800-78-4 algorithm identifiers, plus SM2 under cardbridge's own F2 (see PROFILE.md).
enum class Algorithm : std::uint8_t {
    RSA_1024 = 0x06,
    RSA_2048 = 0x07,
    ECC_P256 = 0x11,
    ECC_P384 = 0x14,
    SM2 = 0xF2,
};

// Data object tags (GET DATA 5C values) and their containers.
namespace tag {
using protocol::Tag;
inline constexpr Tag kTagList{0x5C};
inline constexpr Tag kDataObject{0x53};
inline constexpr Tag kDiscovery{0x7E};
inline constexpr Tag kChuid{0x5FC102};
inline constexpr Tag kCcc{0x5FC107};
inline constexpr Tag kPrintedInformation{0x5FC109};
inline constexpr Tag kKeyHistory{0x5FC10C};
inline constexpr Tag kCertPivAuthentication{0x5FC105};
inline constexpr Tag kCertSignature{0x5FC10A};
inline constexpr Tag kCertKeyManagement{0x5FC10B};
inline constexpr Tag kCertCardAuthentication{0x5FC101};
inline constexpr Tag kErrorDetectionCode{0xFE};
// GENERAL AUTHENTICATE's dynamic authentication template and its members.
inline constexpr Tag kDynamicAuthentication{0x7C};
inline constexpr Tag kChallenge{0x81};
inline constexpr Tag kResponse{0x82};
}  // namespace tag

}  // namespace cardbridge::vcard::piv
