#include "pcsc/card_handle.hpp"

#include <utility>

#include "pcsc/context.hpp"
#include "pcsc/pcsc_error.hpp"

namespace cardbridge::daemon::pcsc {

namespace {
// Data (up to an extended APDU's 65536 bytes) plus SW1 SW2.
constexpr DWORD kMaxResponse = 65536 + 2;
// How long a reader may take to report a card pulled in the middle of a command.
constexpr DWORD kRemovalGraceMs = 1500;
}  // namespace

CardHandle::CardHandle(const Context& context, const std::string& reader)
    : context_(context.get()), reader_(reader) {
    check("SCardConnect",
          SCardConnect(context.get(), reader.c_str(), SCARD_SHARE_SHARED,
                       SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &handle_, &protocol_));
    valid_ = true;
}

CardHandle::~CardHandle() {
    disconnect();
}

CardHandle::CardHandle(CardHandle&& other) noexcept
    : context_(other.context_),
      reader_(std::move(other.reader_)),
      handle_(std::exchange(other.handle_, 0)),
      protocol_(std::exchange(other.protocol_, 0)),
      valid_(std::exchange(other.valid_, false)) {}

CardHandle& CardHandle::operator=(CardHandle&& other) noexcept {
    if (this != &other) {
        disconnect();
        context_ = other.context_;
        reader_ = std::move(other.reader_);
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
    if (length < 2) throw_if_card_gone();
    return response;
}

void CardHandle::throw_if_card_gone() const {
    // Some readers (vpcd among them) answer a command during which the card was pulled with an
    // empty response instead of an error, before pcscd has noticed the card is gone. Waiting a
    // moment for the reader to report it tells a pulled card from a broken answer; this runs
    // only on that broken answer, never on the normal path.
    SCARD_READERSTATE state{};
    state.szReader = reader_.c_str();
    state.dwCurrentState = SCARD_STATE_PRESENT;
    const LONG rc = SCardGetStatusChange(context_, kRemovalGraceMs, &state, 1);
    if (rc == SCARD_E_TIMEOUT) return;
    check("SCardGetStatusChange", rc);
    if ((state.dwEventState & SCARD_STATE_EMPTY) != 0)
        throw Error(Reason::CARD_REMOVED, "the card was removed from '" + reader_ + "'");
}

Transaction::Transaction(const CardHandle& card) : handle_(card.get()) {
    check("SCardBeginTransaction", SCardBeginTransaction(handle_));
}

Transaction::~Transaction() {
    // Fails only when the card or pcscd is already gone, which ends the transaction anyway.
    SCardEndTransaction(handle_, SCARD_LEAVE_CARD);
}

}  // namespace cardbridge::daemon::pcsc
