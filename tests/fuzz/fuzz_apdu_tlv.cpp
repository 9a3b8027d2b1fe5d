// APDUs and BER-TLV as a card or a client would receive them. Everything that parses must
// encode back to exactly the input (both formats accept only one encoding per value), and
// nothing may read outside the buffer or throw anything but cardbridge::Error.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/tlv.hpp"

using cardbridge::Error;
using namespace cardbridge::protocol;

namespace {

constexpr int kMaxDepth = 8;  // PIV nests three deep (53 / 7C, then members); more is noise

void command_round_trip(ByteView input) {
    try {
        const CommandApdu command = CommandApdu::parse(input);
        const Bytes encoded = command.encode();
        if (!std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()))
            __builtin_trap();
        // Chaining must carry the same data, in order, in links the size asked for.
        const auto links = command.chain(16);
        Bytes joined;
        for (std::size_t i = 0; i < links.size(); ++i) {
            const bool last = i + 1 == links.size();
            if (links[i].data().size() > 16 && links.size() > 1) __builtin_trap();
            if (last ? links[i].cla() != command.cla() : !links[i].chained()) __builtin_trap();
            joined.insert(joined.end(), links[i].data().begin(), links[i].data().end());
        }
        if (joined != command.data()) __builtin_trap();
    } catch (const Error&) {
    }
}

void response_round_trip(ByteView input) {
    try {
        const ResponseApdu response = ResponseApdu::parse(input);
        const Bytes encoded = response.encode();
        if (!std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()))
            __builtin_trap();
    } catch (const Error&) {
    }
}

// Re-encodes what the reader sees at this level, descending into constructed values.
Bytes reencode(ByteView input, int depth) {
    TlvWriter out;
    for (TlvReader reader(input); !reader.at_end();) {
        const Tlv tlv = reader.next();
        if (tlv.value.data() < input.data() ||
            tlv.value.data() + tlv.value.size() > input.data() + input.size())
            __builtin_trap();
        if (tlv.tag.constructed() && depth < kMaxDepth) {
            try {
                out.add(tlv.tag, reencode(tlv.value, depth + 1));
                continue;
            } catch (const Error&) {
                // A primitive-looking value under a constructed tag is still a value.
            }
        }
        out.add(tlv.tag, tlv.value);
    }
    return std::move(out).bytes();
}

void tlv_round_trip(ByteView input) {
    try {
        const Bytes encoded = reencode(input, 0);
        if (!std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()))
            __builtin_trap();
    } catch (const Error&) {
    }
    try {
        const Tag tag = parse_tag(input);
        const Bytes encoded = tag.encode();
        if (!std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()))
            __builtin_trap();
    } catch (const Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);
    command_round_trip(input);
    response_round_trip(input);
    tlv_round_trip(input);
    return 0;
}
