#pragma once
// Standard base64 (RFC 4648, padded, no line breaks): how a store file carries certificates.

#include <optional>
#include <string>
#include <string_view>

#include "openssl_types.hpp"

namespace cardbridge::softskf {

std::string base64_encode(const Bytes& data);
/// Nothing for text that is not canonical padded base64.
std::optional<Bytes> base64_decode(std::string_view text);

}  // namespace cardbridge::softskf
