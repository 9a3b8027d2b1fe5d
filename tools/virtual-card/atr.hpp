#pragma once
// The card's answer to reset: cardbridge's own by default, or one the profile supplies.

#include <array>
#include <cstdint>

#include "cardbridge/protocol/apdu.hpp"

namespace cardbridge::vcard {

/// T=1 only, historical bytes 80 (compact-TLV follows) 5A "cardbridge" (issuer's data). It is
/// deliberately in no ATR table, so clients recognise the card by its PIV applet alone.
protocol::Bytes default_atr();

/// Throws Error(INVALID_PARAMS) unless `atr` is a complete ISO 7816-3 ATR: TS, T0, the
/// interface bytes T0 and each TDi announce, the historical bytes, and TCK exactly when a
/// protocol other than T=0 is offered, with TCK making the XOR of T0..TCK zero.
void check_atr(protocol::ByteView atr);

}  // namespace cardbridge::vcard
