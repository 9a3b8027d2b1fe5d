#include "service/card_session.hpp"

namespace cardbridge::daemon {

const tokens::PivSnapshot& CardSession::snapshot() {
    if (!snapshot_) snapshot_ = transact([](const pcsc::Transmit& t) { return tokens::read_snapshot(t); });
    return *snapshot_;
}

void CardSession::forget() noexcept {
    snapshot_.reset();
    card_.reset();
    context_.reset();
}

bool CardSession::loses_connection(Reason reason) noexcept {
    switch (reason) {
        case Reason::CARD_REMOVED:
        case Reason::NO_CARD:
        case Reason::NO_READER:
        case Reason::PCSC_UNAVAILABLE:
            return true;
        default:
            return false;
    }
}

pcsc::CardHandle& CardSession::connected() {
    if (!context_) context_.emplace();
    if (!card_) card_.emplace(*context_, reader_);
    return *card_;
}

}  // namespace cardbridge::daemon
