#pragma once
// The 128-character header in front of every BLOCKTXT chunk (legacy E-Port protocol §4.1):
//   BLOCKTXT | total check (4 hex) | block check (4 hex) | total size (16) | block size (8)
//   | block count (4) | group GUID (36) | block number (4) | 44 × '0'
// Decimal fields are zero-padded; sizes count UTF-16 code units. The JavaScript library
// truncates an overlong field silently; we refuse to write or read one.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cardbridge::protocol::blocktxt {

inline constexpr std::string_view kMagic = "BLOCKTXT";
inline constexpr std::size_t kHeaderSize = 128;
inline constexpr std::size_t kGuidSize = 36;

struct Header {
    std::uint16_t total_check = 0;
    std::uint16_t block_check = 0;
    std::uint64_t total_size = 0;
    std::uint32_t block_size = 0;
    std::uint32_t block_count = 1;
    /// Lower-case `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    std::string guid;
    std::uint32_t block_number = 0;

    friend bool operator==(const Header&, const Header&) = default;
};

/// Exactly kHeaderSize characters. Throws Error(INVALID_PARAMS) for a value wider than its
/// field, a malformed GUID, a block count of 0, a block number not below the count, or a
/// block larger than the whole.
std::string format_header(const Header& header);

/// Reads the first kHeaderSize characters of `frame` (the chunk may follow). Throws
/// Error(INVALID_REQUEST) naming the offending field for anything format_header would not
/// have written.
Header parse_header(std::string_view frame);

/// Whether `text` is a GUID as the JavaScript library writes it.
bool is_guid(std::string_view text) noexcept;

}  // namespace cardbridge::protocol::blocktxt
