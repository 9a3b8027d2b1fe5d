#include "cardbridge/protocol/crypto_base64.hpp"

#include <array>

namespace cardbridge::crypto {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_decode_table() {
    std::array<std::uint8_t, 256> table{};
    table.fill(kInvalid);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i)
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
    return table;
}
constexpr auto kDecode = make_decode_table();

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    std::string text;
    text.reserve(base64_encoded_size(bytes.size()));
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t group = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
        for (int shift : {18, 12, 6, 0}) text += kAlphabet[group >> shift & 0x3f];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 0) return text;
    const std::uint32_t group = bytes[i] << 16 | (rest == 2 ? bytes[i + 1] << 8 : 0);
    text += kAlphabet[group >> 18 & 0x3f];
    text += kAlphabet[group >> 12 & 0x3f];
    text += rest == 2 ? kAlphabet[group >> 6 & 0x3f] : '=';
    text += '=';
    return text;
}

std::optional<Bytes> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
    Bytes bytes;
    bytes.reserve(base64_max_decoded_size(text.size()) - padding);
    std::uint32_t group = 0;
    const std::size_t data_chars = text.size() - padding;
    for (std::size_t i = 0; i < data_chars; ++i) {
        const std::uint8_t value = kDecode[static_cast<unsigned char>(text[i])];
        if (value == kInvalid) return std::nullopt;
        group = group << 6 | value;
        if (i % 4 == 3) {
            bytes.push_back(static_cast<std::uint8_t>(group >> 16));
            bytes.push_back(static_cast<std::uint8_t>(group >> 8));
            bytes.push_back(static_cast<std::uint8_t>(group));
            group = 0;
        }
    }
    // Two data characters carry 12 bits for one byte, three carry 18 bits for two; the bits
    // left over must be zero or the encoding is not the canonical one.
    if (padding == 2) {
        if ((group & 0x0f) != 0) return std::nullopt;
        bytes.push_back(static_cast<std::uint8_t>(group >> 4));
    } else if (padding == 1) {
        if ((group & 0x03) != 0) return std::nullopt;
        bytes.push_back(static_cast<std::uint8_t>(group >> 10));
        bytes.push_back(static_cast<std::uint8_t>(group >> 2));
    }
    return bytes;
}

}  // namespace cardbridge::crypto
