#include "cardbridge/protocol/blocktxt_split.hpp"

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/utf16.hpp"

namespace cardbridge::protocol::blocktxt {
namespace {

// A supplementary code point is two units >= 0x100; counting both at once is what keeps the
// pair in one chunk (see the header).
std::size_t weight(char32_t code_point) noexcept {
    if (is_supplementary(code_point)) return 6;
    return code_point >= 0x100 ? 3 : 1;
}

}  // namespace

std::vector<std::string_view> split(std::string_view utf8, std::size_t max_length) {
    if (max_length < 4)
        throw Error(Reason::INVALID_PARAMS, "BLOCKTXT max length must be at least 4");
    const std::size_t threshold = max_length - 3;
    std::vector<std::string_view> chunks;
    std::size_t start = 0, count = 0;
    for (Utf8Reader reader(utf8); !reader.at_end();) {
        count += weight(reader.next());
        if (count > threshold) {
            chunks.push_back(utf8.substr(start, reader.offset() - start));
            start = reader.offset();
            count = 0;
        }
    }
    if (start != utf8.size()) chunks.push_back(utf8.substr(start));
    return chunks;
}

}  // namespace cardbridge::protocol::blocktxt
