#pragma once
// What the daemon holds of one reader's card, on that reader's worker thread: its own PC/SC
// context (pcsc-lite wants one per thread), the shared connection to the card, and what was
// read from the card, kept until the card goes.

#include <optional>
#include <string>
#include <utility>

#include "cardbridge/protocol/error.hpp"
#include "pcsc/apdu_exchange.hpp"
#include "pcsc/card_handle.hpp"
#include "pcsc/context.hpp"
#include "tokens/piv_token.hpp"

namespace cardbridge::daemon {

class CardSession {
public:
    explicit CardSession(std::string reader) : reader_(std::move(reader)) {}

    const std::string& reader() const noexcept { return reader_; }

    /// `work(const pcsc::Transmit&)` inside one PC/SC transaction, connecting first when
    /// needed. Each transaction starts by selecting the PIV application: between two of ours,
    /// another program sharing the card may have selected something else. When the card or pcscd is lost, the connection and everything read from the card
    /// are dropped before the error goes on: the next call starts afresh.
    template <class Work>
    auto transact(Work&& work) {
        try {
            auto& card = connected();
            pcsc::Transaction transaction(card);
            const pcsc::Transmit transmit = [&card](protocol::ByteView command) {
                return card.transmit(command);
            };
            tokens::piv::select(transmit);
            return work(transmit);
        } catch (const Error& e) {
            if (loses_connection(e.reason())) forget();
            throw;
        }
    }

    /// The card's identity and certificates, read once per insertion.
    const tokens::PivSnapshot& snapshot();

    /// The card (or pcscd) went: drop what we hold of it. The context goes too, because after
    /// a pcscd restart it is as stale as the card handle and we cannot tell the two apart.
    void forget() noexcept;

private:
    static bool loses_connection(Reason reason) noexcept;
    pcsc::CardHandle& connected();

    std::string reader_;
    std::optional<pcsc::Context> context_;
    std::optional<pcsc::CardHandle> card_;
    std::optional<tokens::PivSnapshot> snapshot_;
};

}  // namespace cardbridge::daemon
