#include "vcard_fixture.hpp"

#include <fstream>
#include <random>

#include <openssl/pem.h>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::test {
namespace {

namespace fs = std::filesystem;
using protocol::Bytes;
using protocol::CommandApdu;
using protocol::ResponseApdu;

}  // namespace

TempDir::TempDir() {
    std::random_device random;
    path_ = fs::temp_directory_path() / ("cardbridge-vcard-" + std::to_string(random()));
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

std::string private_key_pem(EVP_PKEY& key) {
    auto bio = crypto::require(crypto::BioPtr(BIO_new(BIO_s_mem())), "BIO_new");
    if (PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        crypto::throw_openssl_error(Reason::INTERNAL, "PEM_write_bio_PrivateKey");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

TestProfile::TestProfile(const std::map<std::string, KeySpec>& slots) {
    for (const auto& [slot, spec] : slots) {
        Credential c = make_ca(spec, "vcard test " + slot, utc(2024, 1, 1), utc(2034, 1, 1));
        const std::string pem = private_key_pem(*c.key);
        write_file(slot + ".key.pem", Bytes(pem.begin(), pem.end()));
        write_file(slot + ".crt.der", c.der());
        credentials.emplace(slot, std::move(c));
    }
    write_json(default_json());
}

std::string TestProfile::default_json() const {
    std::string slots;
    for (const auto& [slot, credential] : credentials)
        slots += std::string(slots.empty() ? "" : ",") + "\"" + slot + "\": {\"key\": \"" + slot +
                 ".key.pem\", \"certificate\": \"" + slot + ".crt.der\"}";
    return R"({"description": "unit test card",
        "chuid_guid": "00112233445566778899aabbccddeeff",
        "pin": ")" +
           std::string(kPin) + R"(", "pin_retries": 3,
        "puk": ")" +
           std::string(kPuk) + R"(", "puk_retries": 3,
        "printed": {"name": "张测试", "organization": "测试进出口贸易有限公司"},
        "slots": {)" +
           slots + "}}";
}

void TestProfile::write_json(const std::string& json) const {
    write_file("card.json", Bytes(json.begin(), json.end()));
}

void TestProfile::write_file(const std::string& name, const Bytes& bytes) const {
    std::ofstream out(dir.path() / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) throw Error(Reason::INTERNAL, "cannot write " + name);
}

ResponseApdu send(vcard::Card& card, const Bytes& apdu) {
    return ResponseApdu::parse(card.transmit(apdu));
}

ResponseApdu send(vcard::Card& card, const CommandApdu& command) {
    return send(card, command.encode());
}

ResponseApdu exchange(vcard::Card& card, const CommandApdu& command) {
    const auto parts = command.chain();
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        const ResponseApdu link = send(card, parts[i]);
        if (!link.sw().ok()) return link;
    }
    ResponseApdu answer = send(card, parts.back());
    Bytes data = answer.data();
    while (const auto remaining = answer.sw().bytes_remaining()) {
        answer = send(card, CommandApdu::get_response(*remaining));
        data.insert(data.end(), answer.data().begin(), answer.data().end());
    }
    return {std::move(data), answer.sw()};
}

Bytes padded(std::string_view pin) {
    Bytes out(pin.begin(), pin.end());
    out.resize(8, 0xFF);
    return out;
}

Bytes ascii(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

Bytes to_bytes(protocol::ByteView view) {
    return Bytes(view.begin(), view.end());
}

}  // namespace cardbridge::test
