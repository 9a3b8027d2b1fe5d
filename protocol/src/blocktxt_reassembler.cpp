#include "cardbridge/protocol/blocktxt_reassembler.hpp"

#include "cardbridge/protocol/error.hpp"

#include <algorithm>

namespace cardbridge::protocol::blocktxt {
namespace {

std::string group_name(std::string_view guid) {
    return "BLOCKTXT group " + std::string(guid);
}

}  // namespace

Step Reassembler::feed(std::string_view frame, Clock::time_point now) {
    const Header header = parse_header(frame);
    const std::vector<std::string> expired = expire(now);
    if (std::find(expired.begin(), expired.end(), header.guid) != expired.end())
        throw Error(Reason::TIMEOUT, group_name(header.guid) + " missed its deadline");
    auto group = groups_.find(header.guid);
    if (group == groups_.end()) group = open(header, now);
    try {
        return advance(group, header, frame.substr(kHeaderSize));
    } catch (const Error&) {
        groups_.erase(group);
        throw;
    }
}

Reassembler::Groups::iterator Reassembler::open(const Header& header, Clock::time_point now) {
    if (header.block_number != 0)
        throw Error(Reason::INVALID_REQUEST, "block " + std::to_string(header.block_number) +
                                                 " of unknown " + group_name(header.guid) +
                                                 "; a group starts with block 0");
    if (groups_.size() >= limits_.max_groups)
        throw Error(Reason::BUSY, std::to_string(groups_.size()) +
                                      " BLOCKTXT groups already in flight on this connection");
    if (header.total_size > limits_.max_total_units)
        throw Error(Reason::FRAME_TOO_LARGE,
                    group_name(header.guid) + " announces " + std::to_string(header.total_size) +
                        " characters; the limit is " + std::to_string(limits_.max_total_units));
    if (header.block_count > limits_.max_block_count)
        throw Error(Reason::FRAME_TOO_LARGE,
                    group_name(header.guid) + " announces " + std::to_string(header.block_count) +
                        " blocks; the limit is " + std::to_string(limits_.max_block_count));
    Group group;
    group.total_check = header.total_check;
    group.total_size = header.total_size;
    group.block_count = header.block_count;
    group.deadline = now + limits_.group_timeout;
    return groups_.emplace(header.guid, std::move(group)).first;
}

Step Reassembler::advance(Groups::iterator entry, const Header& header, std::string_view chunk) {
    Group& group = entry->second;
    if (header.total_check != group.total_check || header.total_size != group.total_size ||
        header.block_count != group.block_count)
        throw Error(Reason::INVALID_REQUEST,
                    group_name(entry->first) + ": block " + std::to_string(header.block_number) +
                        " disagrees with block 0 on total check code, total size or block count");
    if (header.block_number != group.next) return reject(entry, "not the block asked for");
    CheckCode block;
    const std::size_t units = block.update(chunk);
    if (units != header.block_size) return reject(entry, "block size does not match its header");
    if (block.value() != header.block_check) return reject(entry, "block check code mismatch");
    if (group.units + units > group.total_size)
        throw Error(Reason::INVALID_REQUEST,
                    group_name(entry->first) + ": blocks exceed the announced total size");
    group.text.append(chunk);
    group.check.update(chunk);
    group.units += units;
    if (++group.next < group.block_count) return NextBlock{entry->first, group.next, true};
    if (group.units != group.total_size)
        throw Error(Reason::INVALID_REQUEST,
                    group_name(entry->first) + " holds " + std::to_string(group.units) +
                        " characters; its header announced " + std::to_string(group.total_size));
    if (group.check.value() != group.total_check)
        throw Error(Reason::INVALID_REQUEST, group_name(entry->first) + ": total check code " +
                                                 format_check_code(group.check.value()) +
                                                 " does not match the announced " +
                                                 format_check_code(group.total_check));
    Complete complete{entry->first, std::move(group.text)};
    groups_.erase(entry);
    return complete;
}

Step Reassembler::reject(Groups::iterator entry, std::string_view why) {
    Group& group = entry->second;
    // The library gives up after 3 × block count rejections; so do we, instead of waiting.
    if (++group.rejections > 3 * group.block_count)
        throw Error(Reason::INVALID_REQUEST, group_name(entry->first) + ": gave up after " +
                                                 std::to_string(group.rejections) +
                                                 " rejected blocks (last: " + std::string(why) +
                                                 ")");
    return NextBlock{entry->first, group.next, false};
}

std::vector<std::string> Reassembler::expire(Clock::time_point now) {
    std::vector<std::string> expired;
    std::erase_if(groups_, [&](const auto& entry) {
        if (entry.second.deadline > now) return false;
        expired.push_back(entry.first);
        return true;
    });
    return expired;
}

std::optional<Reassembler::Clock::time_point> Reassembler::next_deadline() const {
    const auto earliest = std::min_element(
        groups_.begin(), groups_.end(),
        [](const auto& a, const auto& b) { return a.second.deadline < b.second.deadline; });
    if (earliest == groups_.end()) return std::nullopt;
    return earliest->second.deadline;
}

}  // namespace cardbridge::protocol::blocktxt
