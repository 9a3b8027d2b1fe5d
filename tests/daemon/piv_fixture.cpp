#include "piv_fixture.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "cardbridge/protocol/crypto_x509.hpp"

namespace cardbridge::test {

using protocol::Bytes;
using protocol::ByteView;

namespace {

// The virtual card is always connected: there is nothing to drop.
class DirectLink final : public daemon::tokens::CardLink {
public:
    explicit DirectLink(const daemon::pcsc::Transmit& transmit) : transmit_(transmit) {}
    const std::string& reader() const noexcept override { return name_; }
    void transact(const std::function<void(const daemon::pcsc::Transmit&)>& work) override {
        work(transmit_);
    }
    void disconnect() noexcept override {}

private:
    const daemon::pcsc::Transmit& transmit_;
    std::string name_ = "in-process virtual card";
};

}  // namespace

std::filesystem::path pki_card(std::string_view name) {
    return std::filesystem::path(CARDBRIDGE_TEST_PKI_DIR) / "cards" / name;
}

Bytes read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

crypto::TrustAnchors pki_anchors() {
    const Bytes pem = read_file(std::filesystem::path(CARDBRIDGE_TEST_PKI_DIR) / "ca/bundle.pem");
    return crypto::TrustAnchors(crypto::certificates_from_pem(
        std::string_view(reinterpret_cast<const char*>(pem.data()), pem.size()), Reason::INTERNAL));
}

VirtualCard::VirtualCard(const std::filesystem::path& profile_dir)
    : card_(vcard::Card::load(profile_dir)), transmit_([this](ByteView command) {
          sent_.emplace_back(command.begin(), command.end());
          return card_.transmit(command);
      }),
      token_(std::make_unique<DirectLink>(transmit_)) {
    card_.power_on();
}

std::size_t VirtualCard::count(std::uint8_t ins, bool with_data) const {
    std::size_t n = 0;
    for (const Bytes& command : sent_)
        if (command.size() >= 4 && command[1] == ins && (!with_data || command.size() > 5)) ++n;
    return n;
}

ScriptedCard::ScriptedCard(std::vector<Bytes> answers)
    : answers_(std::move(answers)), transmit_([this](ByteView command) {
          REQUIRE_MESSAGE(sent_.size() < answers_.size(), "the card was sent more than scripted");
          sent_.emplace_back(command.begin(), command.end());
          return answers_[sent_.size() - 1];
      }) {}

Bytes answer(const Bytes& data, std::uint16_t status) {
    return protocol::ResponseApdu(data, protocol::StatusWord(status)).encode();
}

Bytes answer(std::uint16_t status) {
    return answer({}, status);
}

daemon::SecurePin pin(std::string_view digits) {
    return daemon::SecurePin::from(digits);
}

}  // namespace cardbridge::test
