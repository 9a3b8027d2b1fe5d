#pragma once
// The BLOCKTXT "check code" (legacy E-Port protocol §4.2): CRC-16/MODBUS over the low 8 bits of
// each UTF-16 code unit of the text, printed byte-swapped (the Modbus wire order, low byte
// first). It is an integrity check only; anyone can forge it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cardbridge::protocol::blocktxt {

/// A running check code, so a message arriving in blocks is checked without re-reading it.
class CheckCode {
public:
    /// Feeds UTF-8 text and returns how many UTF-16 code units it held. Throws
    /// Error(PARSE_ERROR) for invalid UTF-8, after which the value is meaningless.
    std::size_t update(std::string_view utf8);
    /// The value as headers print it: "374B" is 0x374B.
    std::uint16_t value() const noexcept;

private:
    std::uint16_t crc_ = 0xFFFF;
};

/// The check code of a whole text; throws Error(PARSE_ERROR) for invalid UTF-8.
std::uint16_t check_code(std::string_view utf8);

/// Four upper-case hex digits, as the JavaScript library prints them.
std::string format_check_code(std::uint16_t code);

}  // namespace cardbridge::protocol::blocktxt
