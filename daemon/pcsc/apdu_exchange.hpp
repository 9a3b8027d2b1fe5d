#pragma once
// One command, one whole answer: command chaining for data that does not fit a short APDU,
// GET RESPONSE for 61xx, and the repeat with the card's Le for 6Cxx all happen here and nowhere
// else. It talks to a raw transmit function, so tests script the card without PC/SC.

#include <functional>

#include "cardbridge/protocol/apdu.hpp"

namespace cardbridge::daemon::pcsc {

/// Sends one encoded APDU, returns the card's raw data ‖ SW (CardHandle::transmit in the daemon).
using Transmit = std::function<protocol::Bytes(protocol::ByteView)>;

/// The card's complete answer to `command`. A status word other than 9000 (e.g. 6A82 or 63C2)
/// is returned, not thrown: it is the card's answer. A chain link the card refuses ends the
/// exchange with that refusal. Throws Error(CARD_ERROR) for a malformed answer (fewer than two
/// bytes, 6Cxx twice in a row, or more data than any card could hold) and whatever `transmit`
/// throws.
protocol::ResponseApdu exchange(const Transmit& transmit, const protocol::CommandApdu& command);

}  // namespace cardbridge::daemon::pcsc
