#pragma once
// A virtual card made for one test: a profile directory written to a temporary folder with
// fresh keys and self-signed certificates, the Card loaded from it, and the exchanges a PIV
// client such as OpenSC would make, over short APDUs with 61xx chaining.

#include <filesystem>
#include <map>
#include <string>

#include "card.hpp"
#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/tlv.hpp"
#include "test_pki.hpp"

namespace cardbridge::test {

/// A fresh directory, removed with everything in it when the object goes.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

inline constexpr std::string_view kPin = "123456";
inline constexpr std::string_view kPuk = "87654321";
inline constexpr int kRetries = 3;

/// `slots` maps "9a".."9e" to key types; card.json as PROFILE.md shows it, PIN 123456, PUK
/// 87654321, three retries each, printed information included.
struct TestProfile {
    explicit TestProfile(const std::map<std::string, KeySpec>& slots);

    void write_json(const std::string& json) const;
    std::string default_json() const;
    void write_file(const std::string& name, const protocol::Bytes& bytes) const;

    TempDir dir;
    std::map<std::string, Credential> credentials;
};

/// PEM (PKCS#8) of a private key.
std::string private_key_pem(EVP_PKEY& key);

/// Raw bytes through Card::transmit.
protocol::ResponseApdu send(vcard::Card& card, const protocol::Bytes& apdu);
protocol::ResponseApdu send(vcard::Card& card, const protocol::CommandApdu& command);
/// Sends `command` (chained in short APDUs when long) and follows 61xx with GET RESPONSE, as
/// OpenSC does; the data of all parts joined, with the last status word.
protocol::ResponseApdu exchange(vcard::Card& card, const protocol::CommandApdu& command);

protocol::Bytes padded(std::string_view pin);
protocol::Bytes ascii(std::string_view text);
protocol::Bytes to_bytes(protocol::ByteView view);

}  // namespace cardbridge::test
