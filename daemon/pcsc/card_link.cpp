#include "pcsc/card_link.hpp"

namespace cardbridge::daemon::pcsc {

void PcscCardLink::transact(const std::function<void(const Transmit&)>& work) {
    if (!context_) context_.emplace();
    if (!card_) card_.emplace(*context_, reader_);
    auto& card = *card_;
    Transaction transaction(card);
    work([&card](protocol::ByteView command) { return card.transmit(command); });
}

void PcscCardLink::disconnect() noexcept {
    card_.reset();
    context_.reset();
}

}  // namespace cardbridge::daemon::pcsc
