#pragma once
// A card connected in shared mode, so OpenSC, GnuPG or a browser's PKCS#11 module keep working
// beside the daemon; every exchange runs inside a Transaction that gives us the card alone.

#include <winscard.h>

#include <string>

#include "cardbridge/protocol/apdu.hpp"

namespace cardbridge::daemon::pcsc {

class Context;

class CardHandle {
public:
    /// SCardConnect, shared, T=0 or T=1; throws Error(NO_CARD / NO_READER / BUSY / ...).
    CardHandle(const Context& context, const std::string& reader);
    /// SCardDisconnect leaving the card as it is (no reset: other applications use it too).
    ~CardHandle();
    CardHandle(CardHandle&& other) noexcept;
    CardHandle& operator=(CardHandle&& other) noexcept;
    CardHandle(const CardHandle&) = delete;
    CardHandle& operator=(const CardHandle&) = delete;

    SCARDHANDLE get() const noexcept { return handle_; }
    /// SCARD_PROTOCOL_T0 or SCARD_PROTOCOL_T1.
    DWORD active_protocol() const noexcept { return protocol_; }

    /// One raw APDU (command bytes in, data ‖ SW out); no 61xx / 6Cxx handling (see
    /// apdu_exchange). Throws Error(CARD_REMOVED) for a card pulled since connect.
    protocol::Bytes transmit(protocol::ByteView command) const;

private:
    void disconnect() noexcept;
    void throw_if_card_gone() const;

    SCARDCONTEXT context_ = 0;
    std::string reader_;
    SCARDHANDLE handle_ = 0;
    DWORD protocol_ = 0;
    bool valid_ = false;
};

/// Exclusive use of the card for a scope: SCardBeginTransaction in the constructor,
/// SCardEndTransaction (leaving the card) in the destructor. Neither copied nor moved: it
/// belongs to the scope that opened it.
class Transaction {
public:
    explicit Transaction(const CardHandle& card);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

private:
    SCARDHANDLE handle_;
};

}  // namespace cardbridge::daemon::pcsc
