#include "cardbridge/protocol/blocktxt_checkcode.hpp"

#include "cardbridge/protocol/utf16.hpp"

#include <array>

namespace cardbridge::protocol::blocktxt {
namespace {

// Reflected form of polynomial 0x8005, as CRC-16/MODBUS defines it.
constexpr std::uint16_t kPolynomial = 0xA001;

using Table = std::array<std::uint16_t, 256>;

// kTables[k][b] is the CRC register after byte b followed by k zero bytes. Four of them let an
// ASCII run advance four bytes per table round ("slicing by 4"), which more than doubles the
// speed on the mostly-ASCII JSON of a 10 MiB request.
constexpr std::array<Table, 4> make_tables() {
    std::array<Table, 4> tables{};
    for (unsigned byte = 0; byte < 256; ++byte) {
        unsigned crc = byte;
        for (int bit = 0; bit < 8; ++bit) crc = (crc & 1u) ? (crc >> 1) ^ kPolynomial : crc >> 1;
        tables[0][byte] = static_cast<std::uint16_t>(crc);
    }
    for (std::size_t k = 1; k < tables.size(); ++k)
        for (unsigned byte = 0; byte < 256; ++byte) {
            const std::uint16_t previous = tables[k - 1][byte];
            tables[k][byte] =
                static_cast<std::uint16_t>((previous >> 8) ^ tables[0][previous & 0xFFu]);
        }
    return tables;
}

constexpr auto kTables = make_tables();

// Only the low byte of each code unit counts: the JavaScript library masks with 0xFF.
constexpr std::uint16_t step(std::uint16_t crc, char16_t unit) noexcept {
    return static_cast<std::uint16_t>((crc >> 8) ^ kTables[0][(crc ^ unit) & 0xFFu]);
}

constexpr std::uint16_t step4(std::uint16_t crc, const unsigned char* bytes) noexcept {
    const unsigned low = crc ^ (bytes[0] | (bytes[1] << 8u));
    return static_cast<std::uint16_t>(kTables[3][low & 0xFFu] ^ kTables[2][low >> 8] ^
                                      kTables[1][bytes[2]] ^ kTables[0][bytes[3]]);
}

bool ascii4(const unsigned char* bytes) noexcept {
    return ((bytes[0] | bytes[1] | bytes[2] | bytes[3]) & 0x80u) == 0;
}

}  // namespace

std::size_t CheckCode::update(std::string_view utf8) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(utf8.data());
    std::size_t units = 0, offset = 0;
    while (offset < utf8.size()) {
        if (utf8.size() - offset >= 4 && ascii4(bytes + offset)) {
            crc_ = step4(crc_, bytes + offset);
            offset += 4;
            units += 4;
        } else if (bytes[offset] < 0x80) {
            crc_ = step(crc_, bytes[offset]);
            ++offset;
            ++units;
        } else {
            Utf8Reader reader(utf8, offset);
            const char32_t code_point = reader.next();
            offset = reader.offset();
            if (is_supplementary(code_point)) {
                crc_ = step(step(crc_, high_surrogate(code_point)), low_surrogate(code_point));
                units += 2;
            } else {
                crc_ = step(crc_, static_cast<char16_t>(code_point));
                units += 1;
            }
        }
    }
    return units;
}

std::uint16_t CheckCode::value() const noexcept {
    return static_cast<std::uint16_t>((crc_ << 8) | (crc_ >> 8));
}

std::uint16_t check_code(std::string_view utf8) {
    CheckCode code;
    code.update(utf8);
    return code.value();
}

std::string format_check_code(std::uint16_t code) {
    constexpr std::string_view kDigits = "0123456789ABCDEF";
    std::string text(4, '0');
    for (int i = 3; i >= 0; --i, code >>= 4)
        text[static_cast<std::size_t>(i)] = kDigits[code & 0xFu];
    return text;
}

}  // namespace cardbridge::protocol::blocktxt
