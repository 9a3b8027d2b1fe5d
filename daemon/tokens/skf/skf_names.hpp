#pragma once
// The name lists of SKF_EnumDev, SKF_EnumApplication and SKF_EnumContainer (notes §4.1): names
// separated by NUL and ended by an extra NUL, sized by a first call without a buffer. Modules
// over-estimate the size, report 0 for an empty list, or omit the final NUL, so the reader
// trusts none of that and stays within the buffer it allocated.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokens/skf/skf_abi.hpp"

namespace cardbridge::daemon::tokens {

inline constexpr std::size_t kMaxNameListBytes = 64 * 1024;
inline constexpr std::size_t kMaxNames = 64;

/// The names in `list`, in order: stops at an empty name, at the end of `list` (a last name
/// without its NUL counts) and after kMaxNames. Names longer than `max_name_bytes` are skipped.
std::vector<std::string> parse_name_list(std::span<const char> list, std::size_t max_name_bytes);

/// One call of an SKF_Enum* function with the other arguments bound: `buffer` may be null
/// (size query), `*size` is the buffer's size in and the list's size out.
using EnumerateNames = std::function<skf::ULONG(char* buffer, skf::ULONG* size)>;

/// Queries the size, allocates it plus two zeroed bytes, reads, and retries once when the
/// module answers SAR_BUFFER_TOO_SMALL (the list grew, or the query under-estimated).
/// skf_error(call, …) for a module failure, Error(CARD_ERROR) for a list over kMaxNameListBytes.
std::vector<std::string> read_name_list(std::string_view call, const EnumerateNames& enumerate,
                                        std::size_t max_name_bytes);

}  // namespace cardbridge::daemon::tokens
