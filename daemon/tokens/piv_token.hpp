#pragma once
// A PIV card as the service sees a token: what it is and whose, its PIN, and signatures made
// with its keys. Every call is given the card's transmit function and runs inside the PC/SC
// transaction its caller holds.
//
// Only read_snapshot selects the PIV application; the other calls expect it selected. A caller
// that let other applications use the card since calls piv::select once at the start of its
// transaction, never between a VERIFY and the signature it is for: some cards forget a
// verification when the application is selected again.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/json.hpp"
#include "cardbridge/protocol/origin.hpp"
#include "pcsc/apdu_exchange.hpp"
#include "pin/secure_pin.hpp"
#include "tokens/certificate_info.hpp"
#include "tokens/piv_applet.hpp"

namespace cardbridge::daemon::tokens {

struct PivSnapshot {
    std::string guid;  // the CHUID GUID, 32 lower-case hex digits
    std::string id;    // "piv:<guid>"
    /// The card ID extension (E-Port), else the GUID: what identifies the card to a person.
    std::string card_id;
    std::string label;  // "<enterprise name> <holder name>", or what of it exists
    /// Of the first certificate with E-Port or cardbridge extensions (9C, 9A, 9D, 9E in that
    /// order), else of the first certificate; empty without certificates.
    EnterpriseAttributes attributes;
    std::vector<CertificateInfo> certificates;  // in slot order 9A, 9C, 9D, 9E
};

/// Selects the PIV application and reads identity and certificates: Error(UNSUPPORTED_TOKEN)
/// for a card that is not a PIV card we can read.
PivSnapshot read_snapshot(const pcsc::Transmit& transmit);

/// The certificate of `slot`, if the card has one.
const CertificateInfo* find_certificate(const PivSnapshot& snapshot, PivSlot slot);
/// The certificate that logs in: 9A (PIV authentication), else 9C.
const CertificateInfo* login_certificate(const PivSnapshot& snapshot);

PinState pin_state(const pcsc::Transmit& transmit);
void verify_pin(const pcsc::Transmit& transmit, const SecurePin& pin);
void change_pin(const pcsc::Transmit& transmit, const SecurePin& current, const SecurePin& next);

enum class SignAlgorithm { RSA_SHA1, RSA_SHA256, ECDSA_SHA256, ECDSA_SHA384, SM2_SM3 };

/// "RSA-SHA1", "RSA-SHA256", "ECDSA-SHA256", "ECDSA-SHA384", "SM2-SM3".
std::string_view sign_algorithm_name(SignAlgorithm algorithm) noexcept;
std::optional<SignAlgorithm> sign_algorithm_from_name(std::string_view name) noexcept;

/// What to sign: data the daemon hashes, or a digest computed elsewhere (for SM2 the value
/// SM3(Z ‖ M)). Views only: the bytes must outlive the call.
struct SignInput {
    enum class Kind { DATA, HASH };
    Kind kind;
    protocol::ByteView bytes;

    static SignInput data(protocol::ByteView bytes) noexcept { return {Kind::DATA, bytes}; }
    static SignInput hash(protocol::ByteView bytes) noexcept { return {Kind::HASH, bytes}; }
};

/// The signature of `certificate`'s key: the PKCS#1 v1.5 block for RSA, raw r ‖ s for ECDSA
/// and SM2 (SM2 with the user ID 1234567812345678). Error(UNSUPPORTED_ALGORITHM) when
/// `algorithm` does not fit the key, Error(INVALID_PARAMS) for a hash of the wrong length,
/// Error(NOT_PERMITTED) when the card wants the PIN first.
protocol::Bytes sign(const pcsc::Transmit& transmit, const CertificateInfo& certificate,
                     SignAlgorithm algorithm, SignInput input);

/// The origin-bound login token (protocol/login_token.hpp) signed by `certificate`'s key, as
/// its JSON text. Error(NONCE_INVALID) for a bad nonce; otherwise as sign().
std::string login(const pcsc::Transmit& transmit, const CertificateInfo& certificate,
                  const protocol::Origin& origin, std::string_view nonce);

/// The members of token.info that come from the card (docs/API.md): type, id, cardId,
/// enterprise, holder, role, certificates.
protocol::Json describe(const PivSnapshot& snapshot);

}  // namespace cardbridge::daemon::tokens
