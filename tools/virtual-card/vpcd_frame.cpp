#include "vpcd_frame.hpp"

#include <string>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::vcard {

std::vector<std::uint8_t> encode_frame(std::span<const std::uint8_t> payload) {
    if (payload.size() > kMaxFramePayload) {
        throw Error(Reason::FRAME_TOO_LARGE, "a vpcd frame holds at most 65535 bytes, not " +
                                                 std::to_string(payload.size()));
    }
    std::vector<std::uint8_t> frame;
    frame.reserve(payload.size() + 2);
    frame.push_back(static_cast<std::uint8_t>(payload.size() >> 8));
    frame.push_back(static_cast<std::uint8_t>(payload.size() & 0xFF));
    frame.insert(frame.end(), payload.begin(), payload.end());
    return frame;
}

void FrameDecoder::feed(std::span<const std::uint8_t> bytes) {
    // Drop what was consumed before growing, so the buffer stays one frame in size.
    if (start_ > 0) {
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(start_));
        start_ = 0;
    }
    pending_.insert(pending_.end(), bytes.begin(), bytes.end());
}

std::optional<std::vector<std::uint8_t>> FrameDecoder::next() {
    const std::size_t available = pending_.size() - start_;
    if (available < 2) return std::nullopt;
    const std::size_t length =
        (std::size_t{pending_[start_]} << 8) | std::size_t{pending_[start_ + 1]};
    if (available < 2 + length) return std::nullopt;
    const auto first = pending_.begin() + static_cast<std::ptrdiff_t>(start_ + 2);
    std::vector<std::uint8_t> payload(first, first + static_cast<std::ptrdiff_t>(length));
    start_ += 2 + length;
    return payload;
}

void FrameDecoder::clear() noexcept {
    pending_.clear();
    start_ = 0;
}

}  // namespace cardbridge::vcard
