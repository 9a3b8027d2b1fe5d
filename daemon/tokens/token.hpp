#pragma once
// One interface for every token the daemon uses: a PIV card in a PC/SC reader, a PKCS#11
// token, an SKF (GM/T 0016) device. The service, the JSON-RPC API and the legacy API see only
// this, so a USB key does exactly what a card does. A Token belongs to its worker thread
// (service/token_worker.hpp): nothing here is called from two threads at once.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cardbridge/protocol/apdu.hpp"
#include "pin/secure_pin.hpp"
#include "tokens/certificate_info.hpp"
#include "tokens/pin_state.hpp"

namespace cardbridge::daemon::tokens {

struct TokenSnapshot {
    std::string type;  // "piv", "pkcs11", "skf"
    /// Stable across insertions: "piv:<CHUID GUID>", "pkcs11:<model>:<serial>", "skf:<serial>".
    std::string id;
    /// The card ID extension (E-Port), else what identifies the token to a person.
    std::string card_id;
    std::string label;  // "<enterprise name> <holder name>", or what of it exists
    /// Of the first certificate with E-Port or cardbridge extensions (signing keys first),
    /// else of the first certificate; empty without certificates.
    EnterpriseAttributes attributes;
    std::vector<CertificateInfo> certificates;
};

class Token {
public:
    virtual ~Token() = default;

    /// Where the token is, as the API's `reader` names it.
    virtual const std::string& reader() const noexcept = 0;

    /// Identity and certificates, read once per insertion and kept until forget().
    /// Error(UNSUPPORTED_TOKEN) for something that is not a token we can use.
    virtual const TokenSnapshot& snapshot() = 0;

    virtual PinState pin_state() = 0;
    /// Error(PIN_FORMAT) before the token sees a PIN it cannot take, Error(PIN_INCORRECT, …,
    /// retries) for a wrong one (retries empty when the token does not tell), Error(PIN_BLOCKED,
    /// …, 0). Never retried.
    virtual void verify_pin(const SecurePin& pin) = 0;
    virtual void change_pin(const SecurePin& current, const SecurePin& next) = 0;

    /// The private key of `certificate` (one of snapshot().certificates) transforms `value`:
    /// for RSA keys `value` is a DER DigestInfo and the result the PKCS#1 v1.5 signature, as
    /// long as the modulus; for EC and SM2 keys `value` is the digest (SM3(Z ‖ M) for SM2),
    /// already fitted to the field's size (FIPS 186-4 §6.4: the leftmost bytes of a longer
    /// hash, zeros before a shorter one), and
    /// the result raw r ‖ s, each the field's size. With `pin`, the PIN is verified first in the
    /// same exclusive use of the token, so nothing comes between the two. Error(NOT_PERMITTED)
    /// when the token wants the PIN and none was given.
    virtual protocol::Bytes sign_value(const CertificateInfo& certificate, protocol::ByteView value,
                                       const SecurePin* pin) = 0;

    /// The token went, or the next use must start afresh: drop every handle and what was read.
    virtual void forget() noexcept = 0;
};

/// Makes the Token for one place (reader, PKCS#11 slot, SKF device). Cheap: tokens connect
/// on first use.
using TokenFactory = std::function<std::unique_ptr<Token>()>;

/// A USB key (PKCS#11 token or SKF device) came or went. A key's place exists only while the
/// key does, so `present` reports its reader and its token together.
struct KeyEvent {
    bool present = false;
    std::string reader;
    TokenFactory make;  // present only
};

/// The certificate whose key `key` names (CertificateInfo::key), if the token has it.
const CertificateInfo* find_certificate(const TokenSnapshot& snapshot, std::string_view key);
/// The first certificate whose key is for `usage`.
const CertificateInfo* first_with(const TokenSnapshot& snapshot, KeyUsage usage);
/// The key that logs in: the first LOGIN key, else the first SIGN key.
const CertificateInfo* login_certificate(const TokenSnapshot& snapshot);
/// The key E-Port signs with: the first SIGN key, else the first LOGIN key.
const CertificateInfo* signing_certificate(const TokenSnapshot& snapshot);

/// Fills attributes and label from `snapshot.certificates` by TokenSnapshot's rules, and
/// replaces card_id (set by the caller to the token's own identifier) with the E-Port card ID
/// when a certificate carries one. `fallback_label` when there is neither an enterprise nor a
/// holder name.
void fill_identity(TokenSnapshot& snapshot, std::string_view fallback_label);

}  // namespace cardbridge::daemon::tokens
