#include "security/random.hpp"

#include <vector>

#include <sodium.h>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "cardbridge/protocol/crypto_digest.hpp"
#include "cardbridge/protocol/hex.hpp"

namespace cardbridge::portal {

namespace {

std::vector<unsigned char> random_bytes(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    randombytes_buf(buffer.data(), buffer.size());
    return buffer;
}

}  // namespace

std::string random_base64url(std::size_t bytes) {
    const auto buffer = random_bytes(bytes);
    const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string text(sodium_base64_encoded_len(bytes, variant), '\0');
    sodium_bin2base64(text.data(), text.size(), buffer.data(), buffer.size(), variant);
    text.resize(text.size() - 1);  // the terminating NUL sodium writes
    return text;
}

std::string random_base64(std::size_t bytes) {
    const auto buffer = random_bytes(bytes);
    return crypto::base64_encode(buffer);
}

std::string sha256_hex(std::string_view text) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(text.data());
    return protocol::to_hex(crypto::digest(crypto::DigestAlgorithm::SHA256, {data, text.size()}));
}

bool same_secret(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cardbridge::portal
