#include "pin_hash.hpp"

#include <array>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "store_error.hpp"

namespace cardbridge::softskf {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr char kHexDigits[] = "0123456789abcdef";

std::string to_hex(const std::uint8_t* data, std::size_t size) {
    std::string text;
    text.reserve(2 * size);
    for (std::size_t i = 0; i < size; ++i) {
        text.push_back(kHexDigits[data[i] >> 4]);
        text.push_back(kHexDigits[data[i] & 0x0f]);
    }
    return text;
}

// The record's fields were checked to be lower-case hex when the file was read.
Bytes from_hex(std::string_view text) {
    const auto value = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    Bytes data(text.size() / 2);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<std::uint8_t>(value(text[2 * i]) << 4 | value(text[2 * i + 1]));
    return data;
}

std::array<std::uint8_t, 32> salted_hash(const Bytes& salt, std::string_view pin) {
    Bytes input(salt);
    input.insert(input.end(), pin.begin(), pin.end());
    std::array<std::uint8_t, 32> hash{};
    unsigned int size = 0;
    const bool ok =
        EVP_Digest(input.data(), input.size(), hash.data(), &size, EVP_sha256(), nullptr) == 1;
    OPENSSL_cleanse(input.data(), input.size());
    if (!ok || size != hash.size()) throw StoreError("SHA-256 failed");
    return hash;
}

void set_secret(PinRecord& record, std::string_view pin) {
    std::array<std::uint8_t, kSaltBytes> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        throw StoreError("no randomness for a PIN salt");
    const auto hash = salted_hash(Bytes(salt.begin(), salt.end()), pin);
    record.salt = to_hex(salt.data(), salt.size());
    record.hash = to_hex(hash.data(), hash.size());
}

}  // namespace

bool valid_pin_length(std::string_view pin) noexcept {
    return pin.size() >= kMinPinBytes && pin.size() <= kMaxPinBytes;
}

PinRecord make_pin(std::string_view pin, std::uint32_t max_retries) {
    PinRecord record;
    set_secret(record, pin);
    record.max_retries = max_retries;
    record.retries_left = max_retries;
    record.is_default = true;
    return record;
}

void replace_pin(PinRecord& record, std::string_view pin) {
    set_secret(record, pin);
    record.retries_left = record.max_retries;
    record.is_default = false;
}

bool pin_matches(const PinRecord& record, std::string_view pin) {
    const auto candidate = salted_hash(from_hex(record.salt), pin);
    const Bytes stored = from_hex(record.hash);
    return stored.size() == candidate.size() &&
           CRYPTO_memcmp(stored.data(), candidate.data(), candidate.size()) == 0;
}

}  // namespace cardbridge::softskf
