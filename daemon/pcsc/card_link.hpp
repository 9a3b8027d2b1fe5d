#pragma once
// The PC/SC road to a card in one reader, for PivToken: its own context (pcsc-lite wants one
// per thread, and the token lives on its reader's worker), a shared connection, and one
// transaction per use.

#include <optional>
#include <string>

#include "pcsc/card_handle.hpp"
#include "pcsc/context.hpp"
#include "tokens/piv_token.hpp"

namespace cardbridge::daemon::pcsc {

class PcscCardLink final : public tokens::CardLink {
public:
    explicit PcscCardLink(std::string reader) : reader_(std::move(reader)) {}

    const std::string& reader() const noexcept override { return reader_; }
    void transact(const std::function<void(const Transmit&)>& work) override;
    /// The context goes too: after a pcscd restart it is as stale as the card handle, and we
    /// cannot tell the two apart.
    void disconnect() noexcept override;

private:
    std::string reader_;
    std::optional<Context> context_;
    std::optional<CardHandle> card_;
};

}  // namespace cardbridge::daemon::pcsc
