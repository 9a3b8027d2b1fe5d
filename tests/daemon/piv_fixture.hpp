#pragma once
// The PIV token tests' cards: a test-PKI card (tools/test-pki/README.md) loaded into the
// in-process virtual card, or a scripted one for answers no well-behaved card gives. Both
// record what they were sent, so tests can tell what reached the card.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "card.hpp"
#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/crypto_trust.hpp"
#include "pcsc/apdu_exchange.hpp"
#include "pin/secure_pin.hpp"
#include "tokens/piv_token.hpp"

namespace cardbridge::test {

/// CARDBRIDGE_TEST_PKI_DIR/cards/<name>.
std::filesystem::path pki_card(std::string_view name);
/// The three test CAs (ca/bundle.pem).
crypto::TrustAnchors pki_anchors();
protocol::Bytes read_file(const std::filesystem::path& path);

class VirtualCard {
public:
    explicit VirtualCard(const std::filesystem::path& profile_dir);
    VirtualCard(const VirtualCard&) = delete;
    VirtualCard& operator=(const VirtualCard&) = delete;

    const daemon::pcsc::Transmit& transmit() const noexcept { return transmit_; }
    /// Every APDU sent, in order.
    const std::vector<protocol::Bytes>& sent() const noexcept { return sent_; }
    /// How many APDUs with this INS (and data, when `with_data`) were sent.
    std::size_t count(std::uint8_t ins, bool with_data = false) const;
    /// A power cycle: ends the session (PIN no longer verified), keeps the retry counters.
    void reset() { card_.reset(); }
    /// The daemon's PIV token on this card (each use selects the PIV application first).
    daemon::tokens::PivToken& token() noexcept { return token_; }

private:
    vcard::Card card_;
    std::vector<protocol::Bytes> sent_;
    daemon::pcsc::Transmit transmit_;
    daemon::tokens::PivToken token_;
};

/// A card that answers the commands it is sent with `answers`, in order, and fails the test
/// when sent more.
class ScriptedCard {
public:
    explicit ScriptedCard(std::vector<protocol::Bytes> answers);
    ScriptedCard(const ScriptedCard&) = delete;
    ScriptedCard& operator=(const ScriptedCard&) = delete;

    const daemon::pcsc::Transmit& transmit() const noexcept { return transmit_; }
    const std::vector<protocol::Bytes>& sent() const noexcept { return sent_; }

private:
    std::vector<protocol::Bytes> answers_;
    std::vector<protocol::Bytes> sent_;
    daemon::pcsc::Transmit transmit_;
};

/// Data ‖ SW as a card sends it.
protocol::Bytes answer(const protocol::Bytes& data, std::uint16_t status);
protocol::Bytes answer(std::uint16_t status);

daemon::SecurePin pin(std::string_view digits);

}  // namespace cardbridge::test
