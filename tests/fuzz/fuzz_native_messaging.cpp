// Feeds an arbitrary byte stream to the frame decoder in slices, with a small cap so that
// oversized lengths are common. The first input byte chooses the cap and the slice size.
// Every frame that comes out must survive encode -> decode unchanged.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/native_messaging.hpp"

using namespace cardbridge;
using namespace cardbridge::protocol;
using namespace cardbridge::protocol::native_messaging;

namespace {

constexpr auto kUnbounded = std::numeric_limits<std::size_t>::max();

void check_round_trip(const Json& message) {
    // Re-serializing may lengthen the text (1E2 becomes 100.0), so no cap applies here.
    FrameDecoder again(kUnbounded);
    again.feed(encode_frame(dump_json(message), kUnbounded));
    auto same = again.next();
    if (!same || *same != message) __builtin_trap();
    again.finish();
}

void drain(FrameDecoder& decoder) {
    for (;;) {
        try {
            auto message = decoder.next();
            if (!message) return;
            check_round_trip(*message);
        } catch (const Error& e) {
            if (e.reason() == Reason::FRAME_TOO_LARGE) __builtin_trap();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::size_t cap = 16 + data[0];
    std::size_t slice = 1 + data[0] % 7;
    std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
    FrameDecoder decoder(cap);
    try {
        for (std::size_t at = 0; at < stream.size(); at += slice) {
            decoder.feed(stream.substr(at, slice));
            drain(decoder);
        }
        decoder.finish();
    } catch (const Error&) {
    }
    return 0;
}
