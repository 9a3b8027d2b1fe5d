#pragma once
// The store directory: one `<name>.json` per device. Readers never lock: every write goes to
// a temporary file in the same directory and is renamed over the old one, so a reader sees the
// old file or the new one, never half of one. Writers (the CLI, the library updating PIN
// counters) hold StoreLock around read-modify-write, so neither loses the other's change.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "device_record.hpp"
#include "cardbridge/unique_fd.hpp"

namespace cardbridge::softskf {

inline constexpr const char* kStoreEnvironment = "CARDBRIDGE_SOFT_SKF_STORE";

/// $CARDBRIDGE_SOFT_SKF_STORE, read at each call; nothing when unset or empty.
std::optional<std::filesystem::path> store_from_environment();

std::filesystem::path device_file(const std::filesystem::path& store, std::string_view name);

/// The device's record; nothing when its file does not exist. Throws StoreError for a file
/// that cannot be read, exceeds kMaxDeviceFileBytes, or is not a valid record of that name.
std::optional<DeviceRecord> read_device(const std::filesystem::path& store, std::string_view name);

/// Replaces (or creates) the device's file atomically, readable by its owner only (it holds
/// private keys). Throws StoreError.
void write_device(const std::filesystem::path& store, const DeviceRecord& device);

/// Throws StoreError when the file exists but cannot be removed.
void remove_device_file(const std::filesystem::path& store, std::string_view name);

/// Names of the device files in the store, sorted; none when the directory does not exist.
std::vector<std::string> device_names(const std::filesystem::path& store);

/// An exclusive flock on `<store>/.lock` for one read-modify-write of the store.
class StoreLock {
public:
    /// Throws StoreError when the lock file cannot be opened.
    explicit StoreLock(const std::filesystem::path& store);

private:
    UniqueFd fd_;  // closing it releases the lock
};

}  // namespace cardbridge::softskf
