#include "cardbridge/protocol/blocktxt_checkcode.hpp"
#include "cardbridge/protocol/blocktxt_header.hpp"
#include "cardbridge/protocol/blocktxt_split.hpp"
#include "cardbridge/protocol/error.hpp"

namespace cardbridge::protocol::blocktxt {

std::vector<std::string> encode(std::string_view request, std::string_view guid,
                                std::size_t max_length) {
    const std::vector<std::string_view> chunks = split(request, max_length);
    if (chunks.empty())
        throw Error(Reason::INVALID_PARAMS, "BLOCKTXT cannot carry an empty request");
    if (chunks.size() > kMaxBlockCount)
        throw Error(Reason::FRAME_TOO_LARGE, "request needs " + std::to_string(chunks.size()) +
                                                 " BLOCKTXT blocks; the header allows " +
                                                 std::to_string(kMaxBlockCount));
    CheckCode total;
    Header header;
    header.total_size = total.update(request);
    header.total_check = total.value();
    header.block_count = static_cast<std::uint32_t>(chunks.size());
    header.guid = guid;
    std::vector<std::string> frames;
    frames.reserve(chunks.size());
    for (const std::string_view chunk : chunks) {
        CheckCode block;
        header.block_size = static_cast<std::uint32_t>(block.update(chunk));
        header.block_check = block.value();
        frames.push_back(format_header(header).append(chunk));
        ++header.block_number;
    }
    return frames;
}

}  // namespace cardbridge::protocol::blocktxt
