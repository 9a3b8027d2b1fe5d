#pragma once
// One soft device as its store file holds it (README.md, "Store format"), and the rules its
// names and fields obey. Parsing checks every field and size, so the library can trust a record
// it read and a hand-edited file that breaks the rules is reported, never half-used.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "openssl_types.hpp"

namespace cardbridge::softskf {

inline constexpr std::size_t kMaxNameBytes = 64;    // device, application, container
inline constexpr std::size_t kMaxLabelBytes = 31;   // DEVINFO.Label[32], NUL included
inline constexpr std::size_t kMaxSerialBytes = 31;  // DEVINFO.SerialNumber[32]
inline constexpr std::size_t kMaxCertificateBytes = 16 * 1024;
inline constexpr std::size_t kMaxKeyPemBytes = 16 * 1024;
inline constexpr std::size_t kMaxDeviceFileBytes = 1024 * 1024;
inline constexpr std::uint32_t kMaxPinRetries = 15;
inline constexpr std::string_view kManufacturer = "cardbridge soft-skf (TEST ONLY)";

struct PinRecord {
    std::string salt;  // hex of 16 random bytes
    std::string hash;  // hex of SHA-256(salt bytes ‖ PIN)
    std::uint32_t max_retries = 3;
    std::uint32_t retries_left = 3;
    bool is_default = true;  // still the PIN the device was provisioned with
};

struct KeyPair {
    std::string key_pem;  // PKCS#8 PEM
    Bytes certificate;    // DER
};

struct ContainerRecord {
    std::optional<KeyPair> sign;
    std::optional<KeyPair> encrypt;
};

struct ApplicationRecord {
    PinRecord user_pin;
    PinRecord admin_pin;
    std::map<std::string, ContainerRecord> containers;
};

struct DeviceRecord {
    std::string name;
    std::string label;
    std::string serial;
    std::string manufacturer = std::string(kManufacturer);
    std::string issuer = "cardbridge test PKI (TEST ONLY)";
    bool present = true;
    // Counts insertions: a handle opened before an unplug-and-plug must not outlive it, even
    // when nobody looked while the device was away.
    std::uint64_t insertion = 1;
    std::map<std::string, ApplicationRecord> applications;
};

/// A device name is also a file name: 1-64 of [A-Za-z0-9._-], not starting with '.'.
bool valid_device_name(std::string_view name) noexcept;
/// Application and container names: 1-64 printable ASCII characters.
bool valid_object_name(std::string_view name) noexcept;

/// Throws StoreError naming `source` when any field is missing, mistyped or out of range.
DeviceRecord device_from_json(const nlohmann::json& json, std::string_view source);
nlohmann::json device_to_json(const DeviceRecord& device);

}  // namespace cardbridge::softskf
