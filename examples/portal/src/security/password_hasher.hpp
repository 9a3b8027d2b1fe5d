#pragma once
// Argon2id password hashes (libsodium crypto_pwhash_str, interactive limits). Each costs tens of
// milliseconds and 64 MiB, so it runs on a small pool of its own and the answer is posted back
// to the io thread: a login never stalls the other connections.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

namespace cardbridge::portal {

class PasswordHasher {
public:
    /// `io`: where completions run. `threads` bounds the memory: 64 MiB each at most.
    PasswordHasher(boost::asio::any_io_executor io, std::size_t threads = 2);
    ~PasswordHasher();
    PasswordHasher(const PasswordHasher&) = delete;
    PasswordHasher& operator=(const PasswordHasher&) = delete;

    /// `done` gets the encoded hash, or nullopt when libsodium could not allocate.
    void hash(std::string password, std::function<void(std::optional<std::string>)> done);
    /// `stored` empty: checks against a hash no password matches, taking the same time, so an
    /// unknown user name answers as slowly as a wrong password.
    void verify(std::string stored, std::string password, std::function<void(bool)> done);

private:
    boost::asio::any_io_executor io_;
    boost::asio::thread_pool pool_;
    std::string decoy_;
};

}  // namespace cardbridge::portal
