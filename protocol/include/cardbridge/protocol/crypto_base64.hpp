#pragma once
// Base64 as RFC 4648 §4 defines it (standard alphabet, '=' padding), decoded strictly: a byte
// string has exactly one accepted encoding, so two encodings of one value never compare unequal
// and nothing can hide in whitespace or in unused pad bits.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cardbridge/protocol/crypto.hpp"

namespace cardbridge::crypto {

std::string base64_encode(std::span<const std::uint8_t> bytes);

/// The decoded bytes, or nullopt when `text` is not the canonical encoding: a length that is
/// not a multiple of 4, a character outside the alphabet (whitespace included), padding that is
/// misplaced or missing, or non-zero bits in the last character before the padding.
std::optional<Bytes> base64_decode(std::string_view text);

/// The number of bytes `base64_decode` yields for text of `text_length` characters at most;
/// lets a caller enforce a cap before decoding.
constexpr std::size_t base64_max_decoded_size(std::size_t text_length) {
    return text_length / 4 * 3;
}

/// The length of the encoding of `byte_count` bytes.
constexpr std::size_t base64_encoded_size(std::size_t byte_count) {
    return (byte_count + 2) / 3 * 4;
}

}  // namespace cardbridge::crypto
