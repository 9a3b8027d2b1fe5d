#pragma once
// vpcd's framing: a big-endian uint16 length, then that many bytes, in both directions.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace cardbridge::vcard {

inline constexpr std::size_t kMaxFramePayload = 0xFFFF;

/// Length and payload in one buffer, so that a frame leaves in a single write: two writes
/// would let Nagle's algorithm hold the second one back for a delayed ACK.
/// Throws Error(FRAME_TOO_LARGE) when the payload does not fit the 16-bit length.
std::vector<std::uint8_t> encode_frame(std::span<const std::uint8_t> payload);

/// Reassembles frames from whatever pieces the socket delivers.
class FrameDecoder {
public:
    void feed(std::span<const std::uint8_t> bytes);
    /// The next complete payload, in arrival order.
    std::optional<std::vector<std::uint8_t>> next();
    void clear() noexcept;

private:
    std::vector<std::uint8_t> pending_;
    std::size_t start_ = 0;
};

}  // namespace cardbridge::vcard
