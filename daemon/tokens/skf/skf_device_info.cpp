#include "tokens/skf/skf_device_info.hpp"

#include <openssl/asn1.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>

#include "cardbridge/protocol/asn1_text.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/utf16.hpp"

namespace cardbridge::daemon::tokens {
namespace {

// Offsets in the packed DEVINFO; both layouts agree up to AlgSymCap (notes §1.3).
constexpr std::size_t kManufacturer = 2, kManufacturerBytes = 64;
constexpr std::size_t kLabel = 130, kLabelBytes = 32;
constexpr std::size_t kSerial = 162, kSerialBytes = 32;

bool is_utf8(std::string_view text) {
    try {
        protocol::Utf8Reader reader(text);
        while (!reader.at_end()) reader.next();
        return true;
    } catch (const Error&) {
        return false;
    }
}

std::string without_controls(std::string text) {
    for (char& c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return text;
}

std::string field(std::span<const std::uint8_t> buffer, std::size_t offset, std::size_t size) {
    if (buffer.size() < offset + size) return {};
    return device_text(buffer.subspan(offset, size));
}

}  // namespace

std::string device_text(std::span<const std::uint8_t> bytes) {
    const auto* nul = static_cast<const std::uint8_t*>(std::memchr(bytes.data(), 0, bytes.size()));
    std::string_view text(reinterpret_cast<const char*>(bytes.data()),
                          nul ? static_cast<std::size_t>(nul - bytes.data()) : bytes.size());
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    if (is_utf8(text)) return without_controls(std::string(text));
    const auto* raw = reinterpret_cast<const unsigned char*>(text.data());
    if (auto gbk = protocol::asn1_text(V_ASN1_IA5STRING, {raw, text.size()}); gbk && is_utf8(*gbk))
        return without_controls(std::move(*gbk));
    std::string ascii(text);
    for (char& c : ascii)
        if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    return without_controls(std::move(ascii));
}

SkfDeviceInfo parse_device_info(std::span<const std::uint8_t> buffer) {
    return {.manufacturer = field(buffer, kManufacturer, kManufacturerBytes),
            .label = field(buffer, kLabel, kLabelBytes),
            .serial = field(buffer, kSerial, kSerialBytes)};
}

}  // namespace cardbridge::daemon::tokens
