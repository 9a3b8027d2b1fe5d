#include "tokens/pkcs11/pkcs11_token.hpp"

#include "tokens/pkcs11/pkcs11_objects.hpp"
#include "tokens/pkcs11/pkcs11_snapshot.hpp"

namespace cardbridge::daemon::tokens {

using pkcs11::Session;

std::string pkcs11_reader_name(const pkcs11::Module& module, CK_SLOT_ID slot) {
    return module.file_name() + " slot " + std::to_string(slot);
}

Pkcs11Token::Pkcs11Token(std::shared_ptr<const pkcs11::Module> module, CK_SLOT_ID slot)
    : module_(std::move(module)), slot_(slot), reader_(pkcs11_reader_name(*module_, slot)) {}

void Pkcs11Token::after_failure(const Error& error) noexcept {
    if (error.reason() == Reason::CARD_REMOVED || error.reason() == Reason::CARD_ERROR)
        session_.reset();
}

CK_TOKEN_INFO Pkcs11Token::info() const {
    return pkcs11::token_info(*module_, slot_);
}

Session& Pkcs11Token::session() {
    if (session_) return *session_;
    Session opened(module_, slot_, false);
    // A slot keeps its name when one key is pulled and another plugged in: what was read from
    // the first must not be used with the second.
    if (snapshot_ && pkcs11::token_id(info()) != snapshot_->id)
        throw Error(Reason::CARD_REMOVED, "another token is in " + reader_ + " now");
    session_.emplace(std::move(opened));
    return *session_;
}

const TokenSnapshot& Pkcs11Token::snapshot() {
    if (snapshot_) return *snapshot_;
    try {
        const CK_TOKEN_INFO token = info();
        if ((token.flags & CKF_TOKEN_INITIALIZED) == 0)
            throw Error(Reason::UNSUPPORTED_TOKEN,
                        "the token in " + reader_ + " is not initialized");
        snapshot_ = pkcs11::read_snapshot(session(), token);
        return *snapshot_;
    } catch (const Error& e) {
        after_failure(e);
        throw;
    }
}

PinState Pkcs11Token::pin_state() {
    try {
        const bool verified = pkcs11::logged_in(session());
        const CK_FLAGS flags = info().flags;
        PinState state{.verified = verified, .blocked = false, .retries_left = std::nullopt};
        if ((flags & CKF_USER_PIN_LOCKED) != 0) {
            state.blocked = true;
            state.retries_left = 0;
        } else if ((flags & CKF_USER_PIN_FINAL_TRY) != 0) {
            state.retries_left = 1;
        }
        return state;
    } catch (const Error& e) {
        after_failure(e);
        throw;
    }
}

void Pkcs11Token::forget() noexcept {
    session_.reset();
    snapshot_.reset();
}

}  // namespace cardbridge::daemon::tokens
