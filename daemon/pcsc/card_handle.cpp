#include "pcsc/card_handle.hpp"

#include <utility>

#include "pcsc/context.hpp"
#include "pcsc/pcsc_error.hpp"

namespace cardbridge::daemon::pcsc {

namespace {
// Data (up to an extended APDU's 65536 bytes) plus SW1 SW2.
constexpr DWORD kMaxResponse = 65536 + 2;
}  // namespace

CardHandle::CardHandle(const Context& context, const std::string& reader) {
    check("SCardConnect",
          SCardConnect(context.get(), reader.c_str(), SCARD_SHARE_SHARED,
                       SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &handle_, &protocol_));
    valid_ = true;
}

CardHandle::~CardHandle() {
    disconnect();
}

CardHandle::CardHandle(CardHandle&& other) noexcept
    : handle_(std::exchange(other.handle_, 0)),
      protocol_(std::exchange(other.protocol_, 0)),
      valid_(std::exchange(other.valid_, false)) {}

CardHandle& CardHandle::operator=(CardHandle&& other) noexcept {
    if (this != &other) {
        disconnect();
        handle_ = std::exchange(other.handle_, 0);
        protocol_ = std::exchange(other.protocol_, 0);
        valid_ = std::exchange(other.valid_, false);
    }
    return *this;
}

void CardHandle::disconnect() noexcept {
    if (valid_) SCardDisconnect(handle_, SCARD_LEAVE_CARD);
    valid_ = false;
}

protocol::Bytes CardHandle::transmit(protocol::ByteView command) const {
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    protocol::Bytes response(kMaxResponse);
    DWORD length = kMaxResponse;
    check("SCardTransmit",
          SCardTransmit(handle_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr,
                        response.data(), &length));
    response.resize(length);
    return response;
}

Transaction::Transaction(const CardHandle& card) : handle_(card.get()) {
    check("SCardBeginTransaction", SCardBeginTransaction(handle_));
}

Transaction::~Transaction() {
    // Fails only when the card or pcscd is already gone, which ends the transaction anyway.
    SCardEndTransaction(handle_, SCARD_LEAVE_CARD);
}

}  // namespace cardbridge::daemon::pcsc
