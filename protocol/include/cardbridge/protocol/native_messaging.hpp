#pragma once
// Length-prefixed JSON frames: a 4-byte body length in native byte order, then the UTF-8 JSON
// body. This is the browsers' native-messaging framing (extension <-> cardbridge-host over
// stdio), and the daemon's local socket carries JSON-RPC in the same frames, so nothing here
// knows who is on either end: each direction's cap is passed in, and the browser's caps are
// only the defaults.

#include <array>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "cardbridge/protocol/json.hpp"

namespace cardbridge::protocol::native_messaging {

inline constexpr std::size_t kLengthBytes = 4;
/// Browsers drop a host's message larger than 1 MiB (and then disconnect the host).
inline constexpr std::size_t kHostToBrowserMaxBody = 1024 * 1024;
/// Browsers send up to 64 MiB (Chrome) or more, but nothing a page may ask of a card comes
/// near that: the largest legitimate input is data to sign, and a few MiB of XML is already
/// far beyond the portal's documents. 8 MiB keeps each connection's memory small while leaving
/// ample headroom; larger input should be hashed by the page first.
inline constexpr std::size_t kBrowserToHostMaxBody = 8 * 1024 * 1024;

/// Frames `json_text` (as built by dump_json; not re-validated). Throws
/// Error(FRAME_TOO_LARGE) when the body is longer than `max_body` bytes.
std::string encode_frame(std::string_view json_text, std::size_t max_body = kHostToBrowserMaxBody);

/// Reassembles frames from a byte stream delivered in slices of any size.
class FrameDecoder {
public:
    /// Bodies longer than `max_body` bytes are refused; it also caps parse_json.
    explicit FrameDecoder(std::size_t max_body = kBrowserToHostMaxBody);

    /// Takes the next bytes of the stream. Throws Error(FRAME_TOO_LARGE) as soon as a length
    /// prefix over the cap is complete, before buffering any of that body; the stream is then
    /// out of step, so every later call throws too and the connection must be closed.
    void feed(std::string_view bytes);

    /// The next complete frame's body, parsed; nullopt until more bytes arrive. A body that
    /// is not JSON (an empty one included) throws parse_json's Error; that frame is dropped
    /// and the next call goes on with the following one, since the stream stays in step.
    std::optional<Json> next();

    /// Call when the stream has ended: throws Error(PARSE_ERROR) if it ended inside a frame.
    void finish() const;

    /// True while part of a frame (length prefix or body) has arrived but not all of it: what
    /// a reader's deadline for a slow or stalled peer is about.
    bool mid_frame() const noexcept { return length_have_ > 0 || body_size_.has_value(); }

private:
    void check_usable() const;

    JsonLimits limits_;
    std::array<char, kLengthBytes> length_{};
    std::size_t length_have_ = 0;
    std::optional<std::size_t> body_size_;  // set while a body is being read
    std::string body_;
    std::deque<std::string> complete_;
    bool failed_ = false;
};

}  // namespace cardbridge::protocol::native_messaging
