#include "tokens/piv_token.hpp"

#include "tokens/piv_card.hpp"

namespace cardbridge::daemon::tokens {
namespace {

bool loses_connection(Reason reason) noexcept {
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

}  // namespace

template <class Work>
auto PivToken::transact(Work&& work) -> decltype(work(std::declval<const pcsc::Transmit&>())) {
    using Result = decltype(work(std::declval<const pcsc::Transmit&>()));
    try {
        if constexpr (std::is_void_v<Result>) {
            link_->transact([&](const pcsc::Transmit& t) {
                piv::select(t);
                work(t);
            });
        } else {
            std::optional<Result> result;
            link_->transact([&](const pcsc::Transmit& t) {
                piv::select(t);
                result.emplace(work(t));
            });
            return std::move(*result);
        }
    } catch (const Error& e) {
        if (loses_connection(e.reason())) forget();
        throw;
    }
}

const TokenSnapshot& PivToken::snapshot() {
    if (!snapshot_) snapshot_ = transact([](const pcsc::Transmit& t) { return piv::read_snapshot(t); });
    return *snapshot_;
}

PinState PivToken::pin_state() {
    return transact([](const pcsc::Transmit& t) { return piv::pin_state(t); });
}

void PivToken::verify_pin(const SecurePin& pin) {
    transact([&](const pcsc::Transmit& t) { piv::verify_pin(t, pin); });
}

void PivToken::change_pin(const SecurePin& current, const SecurePin& next) {
    transact([&](const pcsc::Transmit& t) { piv::change_pin(t, current, next); });
}

protocol::Bytes PivToken::sign_value(const CertificateInfo& certificate, protocol::ByteView value,
                                     const SecurePin* pin) {
    return transact([&](const pcsc::Transmit& t) {
        if (pin != nullptr) piv::verify_pin(t, *pin);
        return piv::sign_value(t, certificate, value);
    });
}

void PivToken::forget() noexcept {
    snapshot_.reset();
    link_->disconnect();
}

}  // namespace cardbridge::daemon::tokens
