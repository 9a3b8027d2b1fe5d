#pragma once
// Which devices of a store are present, and how two such views differ: the substance of
// SKF_EnumDev and SKF_WaitForDevEvent.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "skf_abi.hpp"

namespace cardbridge::softskf {

/// Present device name → its insertion count, so that an unplug-and-plug between two looks
/// still shows as a removal and an insertion.
using PresentSet = std::map<std::string, std::uint64_t>;

/// Devices with a readable, valid file, and (when `present_only`) "present": true. A broken
/// file counts as no device: one bad file must not hide the others.
PresentSet scan_devices(const std::filesystem::path& store, bool present_only);

struct DeviceChange {
    std::string name;
    skf::ULONG event = 0;  // DEV_EVENT_INSERTED or DEV_EVENT_REMOVED
    std::uint64_t insertion = 0;
};

/// The first way `current` differs from `reported`: removals first, then insertions, each in
/// name order; a device whose insertion count changed is first removed.
std::optional<DeviceChange> first_change(const PresentSet& reported, const PresentSet& current);

/// `reported` once the host has been told `change`.
void apply_change(PresentSet& reported, const DeviceChange& change);

}  // namespace cardbridge::softskf
