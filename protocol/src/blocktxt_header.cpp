#include "cardbridge/protocol/blocktxt_header.hpp"

#include "cardbridge/protocol/blocktxt_checkcode.hpp"
#include "cardbridge/protocol/error.hpp"

#include <algorithm>

namespace cardbridge::protocol::blocktxt {
namespace {

struct Field {
    std::size_t offset;
    std::size_t width;
    std::string_view name;
};

constexpr Field kTotalCheck{8, 4, "total check code"};
constexpr Field kBlockCheck{12, 4, "block check code"};
constexpr Field kTotalSize{16, 16, "total size"};
constexpr Field kBlockSize{32, 8, "block size"};
constexpr Field kBlockCount{40, 4, "block count"};
constexpr Field kGuid{44, kGuidSize, "group GUID"};
constexpr Field kBlockNumber{80, 4, "block number"};
constexpr Field kReserved{84, 44, "reserved"};
static_assert(kReserved.offset + kReserved.width == kHeaderSize);

bool is_lower_hex(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

void append_decimal(std::string& out, std::uint64_t value, const Field& field) {
    const std::string digits = std::to_string(value);
    if (digits.size() > field.width)
        throw Error(Reason::INVALID_PARAMS, "BLOCKTXT " + std::string(field.name) + " " + digits +
                                                " does not fit in " + std::to_string(field.width) +
                                                " digits");
    out.append(field.width - digits.size(), '0');
    out += digits;
}

[[noreturn]] void reject(const Field& field, std::string_view why) {
    throw Error(Reason::INVALID_REQUEST,
                "BLOCKTXT header: " + std::string(field.name) + " " + std::string(why));
}

std::string_view slice(std::string_view header, const Field& field) {
    return header.substr(field.offset, field.width);
}

std::uint64_t read_decimal(std::string_view header, const Field& field) {
    std::uint64_t value = 0;
    // At most 16 digits, so this cannot overflow 64 bits.
    for (char c : slice(header, field)) {
        if (c < '0' || c > '9') reject(field, "is not a zero-padded decimal number");
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

std::uint16_t read_check_code(std::string_view header, const Field& field) {
    unsigned value = 0;
    for (char c : slice(header, field)) {
        const bool digit = c >= '0' && c <= '9', upper = c >= 'A' && c <= 'F';
        if (!digit && !upper) reject(field, "is not 4 upper-case hex digits");
        value = value * 16 + static_cast<unsigned>(digit ? c - '0' : c - 'A' + 10);
    }
    return static_cast<std::uint16_t>(value);
}

}  // namespace

bool is_guid(std::string_view text) noexcept {
    if (text.size() != kGuidSize) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash_here ? text[i] != '-' : !is_lower_hex(text[i])) return false;
    }
    return true;
}

std::string format_header(const Header& header) {
    if (!is_guid(header.guid))
        throw Error(Reason::INVALID_PARAMS,
                    "BLOCKTXT group GUID must be lower-case xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    if (header.block_count == 0)
        throw Error(Reason::INVALID_PARAMS, "BLOCKTXT block count must be at least 1");
    if (header.block_number >= header.block_count)
        throw Error(Reason::INVALID_PARAMS, "BLOCKTXT block number must be below the count");
    if (header.block_size > header.total_size)
        throw Error(Reason::INVALID_PARAMS, "BLOCKTXT block size exceeds the total size");
    std::string out;
    out.reserve(kHeaderSize);
    out += kMagic;
    out += format_check_code(header.total_check);
    out += format_check_code(header.block_check);
    append_decimal(out, header.total_size, kTotalSize);
    append_decimal(out, header.block_size, kBlockSize);
    append_decimal(out, header.block_count, kBlockCount);
    out += header.guid;
    append_decimal(out, header.block_number, kBlockNumber);
    out.append(kReserved.width, '0');
    return out;
}

Header parse_header(std::string_view frame) {
    if (frame.size() < kHeaderSize)
        throw Error(Reason::INVALID_REQUEST, "BLOCKTXT frame of " + std::to_string(frame.size()) +
                                                 " characters is shorter than its " +
                                                 std::to_string(kHeaderSize) + "-character header");
    const std::string_view text = frame.substr(0, kHeaderSize);
    if (!text.starts_with(kMagic))
        throw Error(Reason::INVALID_REQUEST, "BLOCKTXT header must start with \"BLOCKTXT\"");
    Header header;
    header.total_check = read_check_code(text, kTotalCheck);
    header.block_check = read_check_code(text, kBlockCheck);
    header.total_size = read_decimal(text, kTotalSize);
    header.block_size = static_cast<std::uint32_t>(read_decimal(text, kBlockSize));
    header.block_count = static_cast<std::uint32_t>(read_decimal(text, kBlockCount));
    if (!is_guid(slice(text, kGuid)))
        reject(kGuid, "is not lower-case xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    header.guid = slice(text, kGuid);
    header.block_number = static_cast<std::uint32_t>(read_decimal(text, kBlockNumber));
    const std::string_view reserved = slice(text, kReserved);
    if (std::any_of(reserved.begin(), reserved.end(), [](char c) { return c != '0'; }))
        reject(kReserved, "must be all '0'");
    if (header.block_count == 0) reject(kBlockCount, "is 0");
    if (header.block_number >= header.block_count)
        reject(kBlockNumber, "is not below the block count");
    if (header.block_size > header.total_size) reject(kBlockSize, "exceeds the total size");
    return header;
}

}  // namespace cardbridge::protocol::blocktxt
