#pragma once
// A card as PROFILE.md describes it, loaded and checked. Everything a client could trip over
// (a key that does not match its certificate, a PIN the card could never accept) is refused
// here, at load time, with the file and the problem named.

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "cardbridge/protocol/apdu.hpp"
#include "piv.hpp"
#include "slot_key.hpp"

namespace cardbridge::vcard {

struct PrintedInformation {
    std::string name;
    std::string organization;
};

struct Profile {
    protocol::Bytes atr;
    std::array<std::uint8_t, 16> guid;
    protocol::Bytes pin;  // padded as VERIFY carries it
    int pin_retries;
    protocol::Bytes puk;
    int puk_retries;
    std::optional<PrintedInformation> printed;
    std::map<piv::Slot, SlotKey> slots;
};

/// Reads DIR/card.json and the key and certificate files it names. Throws cardbridge::Error
/// whose message starts with the offending file's path.
Profile load_profile(const std::filesystem::path& dir);

}  // namespace cardbridge::vcard
