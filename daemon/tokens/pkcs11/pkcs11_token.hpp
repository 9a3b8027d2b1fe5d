#pragma once
// A token in one slot of a PKCS#11 module (a USB key, or SoftHSM in tests) as the service sees
// a token. Certificates are public objects, read without the PIN; private keys are often
// hidden until C_Login, so a key is looked up by its certificate's CKA_ID when it signs.
// One session per token, opened on first use and dropped when the token goes (or the module
// is finalized), so the next call starts afresh.

#include <p11-kit/pkcs11.h>

#include <memory>
#include <optional>
#include <string>

#include "tokens/pkcs11/pkcs11_module.hpp"
#include "tokens/token.hpp"

namespace cardbridge::daemon::tokens {

/// "<module file name> slot <slot ID>": the API's reader name for a PKCS#11 slot. The same
/// across re-insertions into the slot.
std::string pkcs11_reader_name(const pkcs11::Module& module, CK_SLOT_ID slot);

class Pkcs11Token final : public Token {
public:
    Pkcs11Token(std::shared_ptr<const pkcs11::Module> module, CK_SLOT_ID slot);

    const std::string& reader() const noexcept override { return reader_; }
    /// type "pkcs11", id "pkcs11:<model>:<serial>", card_id the serial (or the E-Port card ID),
    /// label from the certificates or else the token's label; at most kMaxCertificates
    /// certificates of at most kMaxCertificateBytes each.
    const TokenSnapshot& snapshot() override;
    /// PKCS#11 tells "final try" and "locked", not a count: retries_left is 1, 0 or empty.
    PinState pin_state() override;
    /// Checks the PIN even when the token is already logged in (C_Logout, then C_Login).
    void verify_pin(const SecurePin& pin) override;
    void change_pin(const SecurePin& current, const SecurePin& next) override;
    /// CKM_RSA_PKCS over the DigestInfo, CKM_ECDSA over the digest. SM2 keys:
    /// Error(UNSUPPORTED_ALGORITHM), PKCS#11 has no standard SM2 mechanism.
    protocol::Bytes sign_value(const CertificateInfo& certificate, protocol::ByteView value,
                               const SecurePin* pin) override;
    void forget() noexcept override;

    static constexpr std::size_t kMaxCertificates = 16;
    static constexpr std::size_t kMaxCertificateBytes = 16 * 1024;

private:
    // Every public call ends here when it fails: a token that went or failed loses its
    // session, so the next call opens a new one.
    void after_failure(const Error& error) noexcept;
    pkcs11::Session& session();
    CK_TOKEN_INFO info() const;
    void login(const SecurePin& pin);
    void logout();
    [[noreturn]] void throw_pin_error(const char* call, CK_RV rv);

    std::shared_ptr<const pkcs11::Module> module_;
    CK_SLOT_ID slot_;
    std::string reader_;
    std::optional<pkcs11::Session> session_;
    std::optional<TokenSnapshot> snapshot_;
};

}  // namespace cardbridge::daemon::tokens
