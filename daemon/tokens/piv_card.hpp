#pragma once
// A PIV card's answers as the Token interface wants them, each over the card's transmit
// function inside the PC/SC transaction its caller holds (PivToken holds it).
//
// Only read_snapshot selects the PIV application; the other calls expect it selected. A caller
// that let other applications use the card since calls piv::select once at the start of its
// transaction, never between a VERIFY and the signature it is for: some cards forget a
// verification when the application is selected again.

#include "cardbridge/protocol/apdu.hpp"
#include "pcsc/apdu_exchange.hpp"
#include "pin/secure_pin.hpp"
#include "tokens/piv_applet.hpp"
#include "tokens/token.hpp"

namespace cardbridge::daemon::tokens::piv {

/// Selects the PIV application and reads identity and certificates (keys "9A", "9C", "9D",
/// "9E" in that order): Error(UNSUPPORTED_TOKEN) for a card that is not a PIV card we can read.
/// The id is "piv:<CHUID GUID>", the card ID the E-Port one, else the GUID.
TokenSnapshot read_snapshot(const pcsc::Transmit& transmit);

/// The slot a PIV certificate's key is in.
PivSlot slot_of(const CertificateInfo& certificate);

/// Token::sign_value for a PIV key: pads RSA (PKCS#1 v1.5) itself, fits a digest to the
/// field, and turns the card's ECDSA/SM2 DER into r ‖ s. Error(UNSUPPORTED_ALGORITHM) for keys
/// PIV has no algorithm for (RSA-3072 and up).
protocol::Bytes sign_value(const pcsc::Transmit& transmit, const CertificateInfo& certificate,
                           protocol::ByteView value);

}  // namespace cardbridge::daemon::tokens::piv
