#pragma once
// What the token methods share: the io thread, the readers, the event subscribers, the PIN
// source, the audit log and the time limits. Owned by main; the methods hold a reference.

#include <chrono>

#include <boost/asio/io_context.hpp>

#include "service/api.hpp"
#include "service/event_hub.hpp"
#include "service/reader_registry.hpp"

namespace cardbridge::daemon {

class PinSource;
class AuditLog;

struct TokenServices {
    boost::asio::io_context& io;
    ReaderRegistry& readers;
    EventHub& events;
    PinSource& pins;
    AuditLog& audit;
    /// For card work alone, and for card work that may wait for the user to type a PIN.
    std::chrono::milliseconds card_timeout;
    std::chrono::milliseconds pin_timeout;

    /// A request's deadline: longer when the user may have to type a PIN first.
    std::chrono::milliseconds deadline(bool may_prompt) const noexcept {
        return may_prompt ? pin_timeout : card_timeout;
    }
};

/// tokens.list, token.info, events.subscribe.
void add_token_methods(Api& api, TokenServices& services);
/// token.verifyPin, token.changePin.
void add_pin_methods(Api& api, TokenServices& services);
/// auth.login, token.sign.
void add_signing_methods(Api& api, TokenServices& services);

}  // namespace cardbridge::daemon
