#include "chaining.hpp"

#include <algorithm>

namespace cardbridge::vcard {
namespace {

using protocol::Bytes;
using protocol::CommandApdu;
using protocol::ResponseApdu;
using protocol::StatusWord;
namespace sw = protocol::sw;

std::uint8_t class_byte(const CommandApdu& c) {
    return static_cast<std::uint8_t>(c.cla() & ~CommandApdu::kChainingBit);
}

bool same_command(const CommandApdu& a, const CommandApdu& b) {
    return class_byte(a) == class_byte(b) && a.ins() == b.ins() && a.p1() == b.p1() &&
           a.p2() == b.p2();
}

}  // namespace

std::variant<CommandApdu, StatusWord> CommandChain::add(CommandApdu link) {
    if (pending_ && !same_command(*pending_, link)) {
        pending_.reset();
        return sw::kLastCommandOfChainExpected;
    }
    if (!pending_ && !link.chained()) return link;
    Bytes data = pending_ ? pending_->data() : Bytes{};
    if (data.size() + link.data().size() > kMaxData) {
        pending_.reset();
        return sw::kWrongLength;
    }
    data.insert(data.end(), link.data().begin(), link.data().end());
    CommandApdu joined(class_byte(link), link.ins(), link.p1(), link.p2(), std::move(data),
                       link.ne());
    if (link.extended()) joined = joined.as_extended();
    if (link.chained()) {
        pending_ = std::move(joined);
        return sw::kOk;
    }
    pending_.reset();
    return joined;
}

Bytes ResponseChain::deliver(const CommandApdu& command, ResponseApdu answer) {
    clear();
    // Without Le, answer as T=1 cards do (yubico-piv-tool selects that way and wants 9000):
    // as much as a short answer holds.
    const std::size_t ne = command.ne() != 0 ? command.ne() : CommandApdu::kMaxShortNe;
    if (answer.data().size() <= ne) return answer.encode();
    pending_ = std::move(answer.data());
    final_sw_ = answer.sw();
    return hand_out(ne);
}

Bytes ResponseChain::get_response(const CommandApdu& command) {
    if (command.p1() != 0 || command.p2() != 0) return ResponseApdu(sw::kIncorrectP1P2).encode();
    if (!command.data().empty() || command.ne() == 0)
        return ResponseApdu(sw::kWrongLength).encode();
    const std::size_t left = pending_.size() - offset_;
    if (left == 0) return ResponseApdu(sw::kConditionsNotSatisfied).encode();
    if (!command.extended() && command.ne() != CommandApdu::kMaxShortNe && command.ne() > left)
        return ResponseApdu(StatusWord::wrong_le(left)).encode();
    return hand_out(command.ne());
}

void ResponseChain::clear() noexcept {
    pending_.clear();
    offset_ = 0;
    final_sw_ = sw::kOk;
}

Bytes ResponseChain::hand_out(std::size_t count) {
    const std::size_t n = std::min(count, pending_.size() - offset_);
    const auto first = pending_.begin() + static_cast<std::ptrdiff_t>(offset_);
    Bytes out(first, first + static_cast<std::ptrdiff_t>(n));
    offset_ += n;
    const std::size_t left = pending_.size() - offset_;
    const StatusWord status = left == 0 ? final_sw_ : StatusWord::more_data(left);
    if (left == 0) clear();
    out.push_back(status.sw1());
    out.push_back(status.sw2());
    return out;
}

}  // namespace cardbridge::vcard
