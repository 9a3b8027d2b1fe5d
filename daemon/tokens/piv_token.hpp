#pragma once
// A PIV card as a Token. The card is reached through a CardLink: PC/SC in the daemon
// (pcsc/card_link.hpp), an in-process virtual card in tests. Every use of the card is one
// exclusive transaction that starts by selecting the PIV application, because between two of
// ours another program sharing the card may have selected something else.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pcsc/apdu_exchange.hpp"
#include "tokens/token.hpp"

namespace cardbridge::daemon::tokens {

class CardLink {
public:
    virtual ~CardLink() = default;
    virtual const std::string& reader() const noexcept = 0;
    /// `work` inside one exclusive use of the card, connecting first when needed.
    virtual void transact(const std::function<void(const pcsc::Transmit&)>& work) = 0;
    /// Drops the connection; the next transact() connects afresh.
    virtual void disconnect() noexcept = 0;
};

class PivToken final : public Token {
public:
    explicit PivToken(std::unique_ptr<CardLink> link) : link_(std::move(link)) {}

    const std::string& reader() const noexcept override { return link_->reader(); }
    const TokenSnapshot& snapshot() override;
    PinState pin_state() override;
    void verify_pin(const SecurePin& pin) override;
    void change_pin(const SecurePin& current, const SecurePin& next) override;
    protocol::Bytes sign_value(const CertificateInfo& certificate, protocol::ByteView value,
                               const SecurePin* pin) override;
    void forget() noexcept override;

private:
    /// `work(transmit)` with the PIV application selected. When the card or pcscd is lost,
    /// what was read from the card goes with the connection before the error goes on.
    template <class Work>
    auto transact(Work&& work) -> decltype(work(std::declval<const pcsc::Transmit&>()));

    std::unique_ptr<CardLink> link_;
    std::optional<TokenSnapshot> snapshot_;
};

}  // namespace cardbridge::daemon::tokens
