#include "abi_io.hpp"

namespace cardbridge::softskf {

skf::ULONG write_name_list(const std::vector<std::string>& names, char* buffer, skf::ULONG* size) {
    std::string list;
    for (const std::string& name : names) list.append(name).push_back('\0');
    list.push_back('\0');
    if (names.empty()) list.push_back('\0');
    const auto needed = static_cast<skf::ULONG>(list.size());
    if (buffer == nullptr) {
        *size = needed;
        return skf::SAR_OK;
    }
    if (*size < needed) {
        *size = needed;
        return skf::SAR_BUFFER_TOO_SMALL;
    }
    std::memcpy(buffer, list.data(), list.size());
    *size = needed;
    return skf::SAR_OK;
}

skf::ULONG write_bytes(std::span<const std::uint8_t> data, skf::BYTE* buffer, skf::ULONG* size) {
    const auto needed = static_cast<skf::ULONG>(data.size());
    if (buffer == nullptr) {
        *size = needed;
        return skf::SAR_OK;
    }
    if (*size < needed) {
        *size = needed;
        return skf::SAR_BUFFER_TOO_SMALL;
    }
    std::memcpy(buffer, data.data(), data.size());
    *size = needed;
    return skf::SAR_OK;
}

}  // namespace cardbridge::softskf
