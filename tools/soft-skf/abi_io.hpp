#pragma once
// Reading what a host passes and writing what it asked for, by the conventions every SKF
// function shares: bounded C strings, NUL-separated name lists (skf-notes.md §4.1), and
// "NULL buffer asks for the size, a short one gets SAR_BUFFER_TOO_SMALL and the size".

#include <algorithm>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skf_abi.hpp"

namespace cardbridge::softskf {

/// The C string at `text` when it is at most `max_bytes` long; nothing when it is longer.
/// Reads no more than max_bytes + 1 bytes, so an unterminated buffer is not overrun far.
inline std::optional<std::string_view> bounded_string(const char* text, std::size_t max_bytes) {
    const std::size_t size = ::strnlen(text, max_bytes + 1);
    if (size > max_bytes) return std::nullopt;
    return std::string_view(text, size);
}

/// Names, each NUL-terminated, then one more NUL; no names is "\0\0" (size 2), the safest
/// answer for strict callers.
skf::ULONG write_name_list(const std::vector<std::string>& names, char* buffer, skf::ULONG* size);

/// `data` to `buffer`, or only its size when `buffer` is null.
skf::ULONG write_bytes(std::span<const std::uint8_t> data, skf::BYTE* buffer, skf::ULONG* size);

/// Exactly four bytes, whatever width the host gave its BOOL (skf-notes.md §1.1).
inline void write_bool(void* slot, bool value) {
    const skf::BOOL narrow = value ? 1 : 0;
    std::memcpy(slot, &narrow, sizeof narrow);
}

/// `text` into a fixed DEVINFO field, cut to leave room for the terminating NUL.
template <std::size_t N>
void copy_text(char (&field)[N], std::string_view text) {
    const std::size_t size = std::min(text.size(), N - 1);
    std::memcpy(field, text.data(), size);
    std::memset(field + size, 0, N - size);
}

}  // namespace cardbridge::softskf
