// BLOCKTXT from three sides: the header parser on raw input, a reassembler fed the input's
// lines as frames, and our own client's frames for the input carried back through a server.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cardbridge/protocol/blocktxt.hpp"
#include "cardbridge/protocol/error.hpp"

using namespace cardbridge::protocol::blocktxt;
using cardbridge::Error;

namespace {

const Reassembler::Clock::time_point kStart{};
constexpr std::string_view kGuid = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";

// Whatever parses must format back to the same 128 characters.
void header_round_trip(std::string_view input) {
    std::optional<Header> header;
    try {
        header = parse_header(input);
    } catch (const Error&) {
        return;
    }
    if (format_header(*header) != input.substr(0, kHeaderSize)) __builtin_trap();
}

// Small limits and a clock that moves a second per frame, so that every cap and the deadline
// are reachable from short inputs.
void feed_lines(std::string_view input) {
    const Limits limits{.max_total_units = 4096,
                        .max_block_count = 16,
                        .max_groups = 2,
                        .group_timeout = std::chrono::seconds(8)};
    Reassembler server(limits);
    auto now = kStart;
    while (!input.empty()) {
        const std::size_t end = input.find('\n');
        const std::string_view frame = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
        now += std::chrono::seconds(1);
        std::optional<Step> step;
        try {
            step = server.feed(frame, now);
        } catch (const Error&) {
        }
        if (const auto* done = step ? std::get_if<Complete>(&*step) : nullptr) {
            CheckCode whole;
            if (whole.update(done->text) > limits.max_total_units) __builtin_trap();
        }
        if (server.groups_in_flight() > limits.max_groups) __builtin_trap();
        if (frame.size() % 3 == 0) {
            server.expire(now);
            if (const auto deadline = server.next_deadline(); deadline && *deadline <= now)
                __builtin_trap();
        }
    }
}

// Our client's frames for any valid text must come back whole, block by block in order.
void client_round_trip(std::string_view input) {
    // Longer texts at the smallest max lengths only add blocks, and slow the fuzzer down.
    input = input.substr(0, 512);
    if (input.empty()) return;
    const std::size_t max_length = 4 + static_cast<unsigned char>(input[0]) % 64;
    std::vector<std::string> frames;
    try {
        frames = encode(input, kGuid, max_length);
    } catch (const Error&) {
        return;
    }
    Reassembler server;
    for (std::uint32_t block = 0; block < frames.size(); ++block) {
        const Step step = server.feed(frames[block], kStart);
        if (const auto* next = std::get_if<NextBlock>(&step)) {
            if (!next->accepted || next->next != block + 1) __builtin_trap();
        } else if (block + 1 != frames.size() || std::get<Complete>(step).text != input) {
            __builtin_trap();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    header_round_trip(input);
    feed_lines(input);
    client_round_trip(input);
    return 0;
}
