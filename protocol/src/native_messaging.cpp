#include "cardbridge/protocol/native_messaging.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::protocol::native_messaging {
namespace {

std::string too_large(std::size_t size, std::size_t max_body) {
    return "frame of " + std::to_string(size) + " bytes exceeds the limit of " +
           std::to_string(max_body);
}

}  // namespace

std::string encode_frame(std::string_view json_text, std::size_t max_body) {
    if (json_text.size() > max_body || json_text.size() > std::numeric_limits<std::uint32_t>::max())
        throw Error(Reason::FRAME_TOO_LARGE, too_large(json_text.size(), max_body));
    auto length = static_cast<std::uint32_t>(json_text.size());
    std::string frame(kLengthBytes, '\0');
    std::memcpy(frame.data(), &length, kLengthBytes);
    frame += json_text;
    return frame;
}

FrameDecoder::FrameDecoder(std::size_t max_body) : limits_{.max_bytes = max_body} {}

void FrameDecoder::feed(std::string_view bytes) {
    check_usable();
    while (!bytes.empty()) {
        if (!body_size_) {
            auto take = std::min(kLengthBytes - length_have_, bytes.size());
            std::copy_n(bytes.begin(), take, length_.begin() + length_have_);
            length_have_ += take;
            bytes.remove_prefix(take);
            if (length_have_ < kLengthBytes) break;
            std::uint32_t length = 0;
            std::memcpy(&length, length_.data(), kLengthBytes);
            length_have_ = 0;
            if (length > limits_.max_bytes) {
                failed_ = true;
                complete_.clear();
                throw Error(Reason::FRAME_TOO_LARGE, too_large(length, limits_.max_bytes));
            }
            body_size_ = length;
        }
        auto take = std::min(*body_size_ - body_.size(), bytes.size());
        body_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (body_.size() == *body_size_) {
            complete_.push_back(std::move(body_));
            body_.clear();
            body_size_.reset();
        }
    }
}

std::optional<Json> FrameDecoder::next() {
    check_usable();
    if (complete_.empty()) return std::nullopt;
    auto body = std::move(complete_.front());
    complete_.pop_front();
    return parse_json(body, limits_);
}

void FrameDecoder::finish() const {
    check_usable();
    if (length_have_ > 0)
        throw Error(Reason::PARSE_ERROR, "stream ended inside a frame's length prefix (" +
                                             std::to_string(length_have_) + " of " +
                                             std::to_string(kLengthBytes) + " bytes)");
    if (body_size_)
        throw Error(Reason::PARSE_ERROR, "stream ended inside a frame (" +
                                             std::to_string(body_.size()) + " of " +
                                             std::to_string(*body_size_) + " body bytes)");
}

void FrameDecoder::check_usable() const {
    if (failed_)
        throw Error(Reason::FRAME_TOO_LARGE,
                    "the stream is out of step after an oversized frame; close the connection");
}

}  // namespace cardbridge::protocol::native_messaging
