#include "security/password_hasher.hpp"

#include <stdexcept>

#include <sodium.h>
#include <boost/asio/post.hpp>

#include "security/random.hpp"

namespace cardbridge::portal {

namespace asio = boost::asio;

namespace {

std::optional<std::string> compute_hash(const std::string& password) {
    std::string out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return std::nullopt;
    out.resize(out.find('\0'));
    return out;
}

// Passwords leave memory as soon as they are hashed.
void wipe(std::string& secret) {
    sodium_memzero(secret.data(), secret.size());
}

}  // namespace

PasswordHasher::PasswordHasher(asio::any_io_executor io, std::size_t threads)
    : io_(std::move(io)), pool_(threads) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialized");
    auto decoy = compute_hash(random_base64url(16));
    if (!decoy) throw std::runtime_error("cannot compute a password hash (out of memory?)");
    decoy_ = std::move(*decoy);
}

PasswordHasher::~PasswordHasher() {
    pool_.stop();
    pool_.join();
}

void PasswordHasher::hash(std::string password,
                          std::function<void(std::optional<std::string>)> done) {
    asio::post(pool_, [io = io_, password = std::move(password), done = std::move(done)]() mutable {
        auto result = compute_hash(password);
        wipe(password);
        asio::post(io, [done = std::move(done), result = std::move(result)]() { done(result); });
    });
}

void PasswordHasher::verify(std::string stored, std::string password,
                            std::function<void(bool)> done) {
    const bool known = !stored.empty();
    if (!known) stored = decoy_;
    asio::post(pool_, [io = io_, known, stored = std::move(stored), password = std::move(password),
                       done = std::move(done)]() mutable {
        const bool match =
            crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
        wipe(password);
        asio::post(io, [done = std::move(done), ok = known && match]() { done(ok); });
    });
}

}  // namespace cardbridge::portal
