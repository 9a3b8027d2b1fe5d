#include "base64.hpp"

#include <algorithm>

#include <openssl/evp.h>

namespace cardbridge::softskf {

std::string base64_encode(const Bytes& data) {
    std::string text(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), data.data(),
                                        static_cast<int>(data.size()));
    text.resize(static_cast<std::size_t>(written));
    return text;
}

std::optional<Bytes> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    const bool alphabet = std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/' || c == '=';
    });
    if (!alphabet) return std::nullopt;
    // '=' may only end the text, at most twice.
    const auto first_pad = text.find('=');
    if (first_pad != std::string_view::npos &&
        (text.size() - first_pad > 2 ||
         text.find_first_not_of('=', first_pad) != std::string_view::npos))
        return std::nullopt;
    Bytes data(text.size() / 4 * 3);
    const int decoded =
        EVP_DecodeBlock(data.data(), reinterpret_cast<const unsigned char*>(text.data()),
                        static_cast<int>(text.size()));
    if (decoded < 0) return std::nullopt;
    // EVP_DecodeBlock counts the bytes the padding stands for; they are not data.
    const auto padding = static_cast<std::size_t>(std::count(text.begin(), text.end(), '='));
    data.resize(static_cast<std::size_t>(decoded) - padding);
    return data;
}

}  // namespace cardbridge::softskf
