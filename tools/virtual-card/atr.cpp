#include "atr.hpp"

#include <bit>
#include <string>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::vcard {
namespace {

constexpr std::size_t kMaxAtr = 33;

[[noreturn]] void invalid(const std::string& what) {
    throw Error(Reason::INVALID_PARAMS, "invalid ATR: " + what);
}

}  // namespace

protocol::Bytes default_atr() {
    protocol::Bytes atr{0x3B, 0x8C, 0x01, 0x80, 0x5A, 'c', 'a', 'r',
                        'd',  'b',  'r',  'i',  'd',  'g', 'e'};
    std::uint8_t tck = 0;
    for (std::size_t i = 1; i < atr.size(); ++i) tck ^= atr[i];
    atr.push_back(tck);
    return atr;
}

void check_atr(protocol::ByteView atr) {
    if (atr.size() < 2 || atr.size() > kMaxAtr) invalid("must have 2 to 33 bytes");
    if (atr[0] != 0x3B && atr[0] != 0x3F) invalid("TS must be 3B or 3F");
    std::size_t at = 1;
    std::uint8_t indicator = atr[at++];  // T0, then each TDi: high nibble says which bytes follow
    const std::size_t historical = indicator & 0x0Fu;
    bool needs_tck = false;
    for (;;) {
        const int present = std::popcount(static_cast<unsigned>(indicator >> 4));
        const bool td_follows = (indicator & 0x80) != 0;
        if (atr.size() < at + static_cast<std::size_t>(present)) invalid("interface bytes missing");
        at += static_cast<std::size_t>(present);
        if (!td_follows) break;
        indicator = atr[at - 1];
        if ((indicator & 0x0F) != 0) needs_tck = true;
    }
    const std::size_t expected = at + historical + (needs_tck ? 1 : 0);
    if (atr.size() != expected)
        invalid("length " + std::to_string(atr.size()) + ", T0 and TDi announce " +
                std::to_string(expected));
    if (needs_tck) {
        std::uint8_t check = 0;
        for (std::size_t i = 1; i < atr.size(); ++i) check ^= atr[i];
        if (check != 0) invalid("TCK does not match");
    }
}

}  // namespace cardbridge::vcard
