#include "profile.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "atr.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"
#include "pin_state.hpp"

namespace cardbridge::vcard {
namespace {

namespace fs = std::filesystem;
using protocol::Bytes;
using protocol::Json;

constexpr std::size_t kMaxFileBytes = 1024 * 1024;
constexpr int kMaxRetries = 15;  // what 63Cx can report

[[noreturn]] void invalid(const std::string& what) {
    throw Error(Reason::INVALID_PARAMS, what);
}

// Runs `read`, prefixing any error with the file it concerns so the user knows where to look.
template <typename F>
auto about(const fs::path& file, F&& read) {
    try {
        return read();
    } catch (const Error& e) {
        throw Error(e.reason(), file.string() + ": " + e.what());
    }
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) invalid(file.string() + ": cannot open (" + std::strerror(errno) + ")");
    std::string text;
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(in.tellg());
    if (size > kMaxFileBytes) invalid(file.string() + ": larger than 1 MiB");
    in.seekg(0);
    text.assign(std::istreambuf_iterator<char>(in), {});
    if (!in && !in.eof()) invalid(file.string() + ": read failed");
    return text;
}

const Json& member(const Json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end()) invalid(std::string("\"") + name + "\" is missing");
    return *it;
}

std::string text(const Json& object, const char* name) {
    const Json& value = member(object, name);
    if (!value.is_string()) invalid(std::string("\"") + name + "\" must be a string");
    return value.get<std::string>();
}

int retries(const Json& object, const char* name) {
    const Json& value = member(object, name);
    if (!value.is_number_integer() || value.get<long long>() < 1 ||
        value.get<long long>() > kMaxRetries)
        invalid(std::string("\"") + name + "\" must be an integer from 1 to 15");
    return value.get<int>();
}

Bytes hex(const std::string& digits, const char* name) {
    Bytes out;
    int pending = -1;
    for (const char c : digits) {
        if (c == ' ') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            invalid(std::string("\"") + name + "\" must be hex digits");
        const int nibble = std::isdigit(static_cast<unsigned char>(c))
                               ? c - '0'
                               : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
        if (pending < 0) {
            pending = nibble;
        } else {
            out.push_back(static_cast<std::uint8_t>(pending << 4 | nibble));
            pending = -1;
        }
    }
    if (pending >= 0) invalid(std::string("\"") + name + "\" has an odd number of hex digits");
    return out;
}

piv::Slot slot_named(std::string name) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "9a") return piv::Slot::PIV_AUTHENTICATION;
    if (name == "9c") return piv::Slot::SIGNATURE;
    if (name == "9d") return piv::Slot::KEY_MANAGEMENT;
    if (name == "9e") return piv::Slot::CARD_AUTHENTICATION;
    invalid("slot \"" + name + "\" is not one of 9a, 9c, 9d, 9e");
}

SlotKey load_slot(const fs::path& dir, const fs::path& json_file, const std::string& name,
                  const Json& entry) {
    const auto [key_name, cert_name] = about(json_file, [&] {
        if (!entry.is_object()) invalid("slot \"" + name + "\" must be an object");
        return std::pair{text(entry, "key"), text(entry, "certificate")};
    });
    const fs::path key_file = dir / key_name;
    const fs::path cert_file = dir / cert_name;
    auto key = about(key_file, [&] { return parse_private_key(read_file(key_file)); });
    const std::string der = read_file(cert_file);
    return about(cert_file, [&] { return SlotKey(std::move(key), Bytes(der.begin(), der.end())); });
}

}  // namespace

Profile load_profile(const fs::path& dir) {
    const fs::path json_file = dir / "card.json";
    const std::string json_text = read_file(json_file);
    const Json card = about(json_file, [&] { return protocol::parse_json(json_text); });
    Profile profile = about(json_file, [&] {
        if (!card.is_object()) invalid("must hold a JSON object");
        Profile p{};
        p.atr = card.contains("atr") ? hex(text(card, "atr"), "atr") : default_atr();
        check_atr(p.atr);
        const Bytes guid = hex(text(card, "chuid_guid"), "chuid_guid");
        if (guid.size() != p.guid.size()) invalid("\"chuid_guid\" must be 16 bytes");
        std::copy(guid.begin(), guid.end(), p.guid.begin());
        auto pin = padded_pin(text(card, "pin"));
        if (!pin) invalid("\"pin\" must be 6 to 8 digits");
        p.pin = std::move(*pin);
        p.pin_retries = retries(card, "pin_retries");
        const std::string puk = text(card, "puk");
        if (puk.size() != PinState::kReferenceSize) invalid("\"puk\" must be 8 characters");
        p.puk.assign(puk.begin(), puk.end());
        p.puk_retries = retries(card, "puk_retries");
        if (card.contains("printed")) {
            const Json& printed = card.at("printed");
            if (!printed.is_object()) invalid("\"printed\" must be an object");
            p.printed = PrintedInformation{text(printed, "name"), text(printed, "organization")};
        }
        if (!member(card, "slots").is_object()) invalid("\"slots\" must be an object");
        return p;
    });
    for (const auto& [name, entry] : card["slots"].items()) {
        const piv::Slot slot = about(json_file, [&] {
            const piv::Slot s = slot_named(name);
            if (profile.slots.contains(s)) invalid("slot \"" + name + "\" is given twice");
            return s;
        });
        profile.slots.emplace(slot, load_slot(dir, json_file, name, entry));
    }
    return profile;
}

}  // namespace cardbridge::vcard
