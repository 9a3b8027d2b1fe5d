#pragma once
// One SKF (GM/T 0016) device as the service sees a token: what E-Port USB keys are. It
// connects on first use and keeps its device, application and container handles until
// forget() or until the module says the key has gone, after which the next call connects
// afresh.
//
// Keys: each application's containers, "<application>/<container>" for the signing key pair
// (usage SIGN) and "<application>/<container>/enc" for the encryption pair (ENVELOPE), which
// SKF cannot sign with. The token's PIN is the user PIN of the application that holds
// signing_certificate()'s key (of the first application when there is no certificate): one
// PIN, as E-Port keys have one application.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tokens/skf/skf_handles.hpp"
#include "tokens/skf/skf_library.hpp"
#include "tokens/token.hpp"

namespace cardbridge::daemon::tokens {

class SkfPinText;

/// "<library file name> <device name>": stable across unplug and replug, since a module names
/// a device by its port or its serial.
std::string skf_reader_name(const SkfLibrary& library, const std::string& device_name);

class SkfToken final : public Token {
public:
    SkfToken(std::shared_ptr<const SkfLibrary> library, std::string device_name);
    ~SkfToken() override;

    const std::string& reader() const noexcept override { return reader_; }
    /// type "skf", id "skf:<DEVINFO serial>" (the device name when the module tells none),
    /// card_id the E-Port card ID or else the serial, label from the certificate or else
    /// DEVINFO's Label.
    const TokenSnapshot& snapshot() override;

    /// SKF_GetPINInfo's remaining tries (unknown when the module lacks it). SKF cannot be asked
    /// whether a PIN is verified, so `verified` is what this token saw: a successful
    /// SKF_VerifyPIN on its application handle since the last failure or forget().
    PinState pin_state() override;
    void verify_pin(const SecurePin& pin) override;
    void change_pin(const SecurePin& current, const SecurePin& next) override;
    protocol::Bytes sign_value(const CertificateInfo& certificate, protocol::ByteView value,
                               const SecurePin* pin) override;
    /// Clears the security state of what this token verified, then closes every handle.
    void forget() noexcept override;

private:
    struct KeyPlace {
        std::string application;
        std::string container;
        bool signing = true;
    };

    TokenSnapshot read_snapshot();
    void read_containers(const std::string& application, TokenSnapshot& snapshot);
    const std::string& pin_application();

    void* device();
    void* application(const std::string& name);
    void* container(const KeyPlace& place);
    /// skf_error(call, result) after noting a code that means the handles are dead.
    [[noreturn]] void fail(const char* call, skf::ULONG result,
                           std::optional<skf::ULONG> retries = std::nullopt);
    void check(const char* call, skf::ULONG result);
    /// Runs `work`; when it found the key gone, drops every handle before the error leaves.
    template <class Work>
    decltype(auto) guarded(Work&& work);
    void drop_handles() noexcept;

    void verify_in(const std::string& application, const SkfPinText& text);
    protocol::Bytes sign_sm2(void* container, protocol::ByteView value);
    protocol::Bytes sign_rsa(void* container, const CertificateInfo& certificate,
                             protocol::ByteView value);

    std::shared_ptr<const SkfLibrary> library_;  // first: the handles close through it
    std::string device_name_;
    std::string reader_;
    SkfDevice device_;
    std::map<std::string, SkfApplication> applications_;
    std::map<std::string, SkfContainer> containers_;  // by "<application>/<container>"
    std::map<std::string, KeyPlace> places_;          // CertificateInfo::key → where it lives
    std::vector<std::string> application_names_;      // as the snapshot found them
    std::set<std::string> verified_;                  // applications
    std::optional<TokenSnapshot> snapshot_;
    bool handles_dead_ = false;
};

}  // namespace cardbridge::daemon::tokens

namespace cardbridge::daemon::tokens {

template <class Work>
decltype(auto) SkfToken::guarded(Work&& work) {
    try {
        return work();
    } catch (...) {
        if (handles_dead_) drop_handles();
        throw;
    }
}

}  // namespace cardbridge::daemon::tokens
