#pragma once
// Server side of BLOCKTXT (legacy E-Port protocol §4.4): one Reassembler per connection turns
// the frames of chunked requests back into whole UTF-8 texts. Blocks arrive in order, each
// requested by our `_nextBlock` answer, so a group only ever appends to one buffer.
//
// Any Error thrown while feeding a frame of a known group also drops that group; the legacy
// client has no abort message, so the caller can only report it. The library's swc_postdata
// keeps no copy of a one-block message and so cannot honour a re-request: such a group just
// waits for its deadline.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cardbridge/protocol/blocktxt_checkcode.hpp"
#include "cardbridge/protocol/blocktxt_header.hpp"

namespace cardbridge::protocol::blocktxt {

struct Limits {
    /// UTF-16 code units per message; a 10 MiB `inData`, JSON-escaped and wrapped in its
    /// request, fits. The buffer holds at most 3 bytes of UTF-8 per unit.
    std::uint64_t max_total_units = 24 * 1024 * 1024;
    /// 24 Mi units of CJK text take about 615 blocks as the library cuts them.
    std::uint32_t max_block_count = 1024;
    /// The library keeps one callback per method, so a page rarely has two chunked calls in
    /// flight; this bounds a connection's memory at max_groups × 3 × max_total_units bytes.
    std::size_t max_groups = 2;
    /// Counted from a group's first block; a stalled client must not pin its buffer.
    std::chrono::steady_clock::duration group_timeout = std::chrono::seconds(60);
};

/// Answer `_nextBlock` with Result = accepted and Data[0] = {guid, next, finish: false}; the
/// client then sends block `next`. accepted is false when the frame was not the block asked
/// for or arrived damaged: the client sends it again.
struct NextBlock {
    std::string guid;
    std::uint32_t next = 0;
    bool accepted = true;
};

/// The whole request arrived and matched its total size and check code: answer `_nextBlock`
/// with Result = true and finish = true, then dispatch `text`.
struct Complete {
    std::string guid;
    std::string text;
};

using Step = std::variant<NextBlock, Complete>;

class Reassembler {
public:
    using Clock = std::chrono::steady_clock;

    explicit Reassembler(Limits limits = {}) noexcept : limits_(limits) {}

    /// Takes one frame (UTF-8 text starting with the header). Throws Error with INVALID_REQUEST
    /// (malformed header, a block of an unknown group other than block 0, a header that
    /// disagrees with its group's first one, retries exhausted after 3 × block count
    /// rejections, size or check code of the whole wrong), PARSE_ERROR (invalid UTF-8),
    /// FRAME_TOO_LARGE (size or count above the limits), BUSY (too many groups) or TIMEOUT
    /// (the group's deadline passed). Expired groups of other GUIDs are dropped silently.
    Step feed(std::string_view frame, Clock::time_point now);

    /// Drops every group whose deadline is at or before `now`; returns their GUIDs.
    std::vector<std::string> expire(Clock::time_point now);

    /// When the next group expires, for the caller's timer; none when idle.
    std::optional<Clock::time_point> next_deadline() const;

    std::size_t groups_in_flight() const noexcept { return groups_.size(); }

private:
    struct Group {
        std::uint16_t total_check = 0;
        std::uint64_t total_size = 0;
        std::uint32_t block_count = 0;
        Clock::time_point deadline;
        std::string text;
        CheckCode check;
        std::uint64_t units = 0;
        std::uint32_t next = 0;
        std::uint32_t rejections = 0;
    };
    using Groups = std::map<std::string, Group, std::less<>>;

    Groups::iterator open(const Header& header, Clock::time_point now);
    Step advance(Groups::iterator group, const Header& header, std::string_view chunk);
    Step reject(Groups::iterator group, std::string_view why);

    Limits limits_;
    Groups groups_;
};

}  // namespace cardbridge::protocol::blocktxt
