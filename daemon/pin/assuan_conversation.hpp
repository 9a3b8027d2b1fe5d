#pragma once
// The client side of one Assuan session with a pinentry: lines out, lines in, all against one
// deadline. Lines come in through secure memory, because one of them carries the PIN, and no
// line the pinentry sends is ever quoted in an error.
//
// Errors: the user cancelling is PIN_CANCELLED, the deadline passing TIMEOUT, data beyond the
// buffer given PIN_FORMAT; anything else the pinentry does wrong is INTERNAL, naming it.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace cardbridge::daemon {

/// Bytes that are, or may contain, the PIN: sodium_malloc'd, wiped when freed.
class SecureBuffer {
public:
    explicit SecureBuffer(std::size_t capacity);
    ~SecureBuffer();
    SecureBuffer(const SecureBuffer&) = delete;
    SecureBuffer& operator=(const SecureBuffer&) = delete;

    char* data() noexcept { return data_; }
    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t size = 0;  // how much of it is in use: the caller keeps count

private:
    char* data_;
    std::size_t capacity_;
};

class AssuanConversation {
public:
    // Assuan's own limit: a line is at most 1000 bytes including its LF.
    static constexpr std::size_t kMaxLine = 1000;

    /// Talks over `fd`, which stays the caller's; `peer` names the pinentry in errors.
    AssuanConversation(int fd, std::string peer, std::chrono::steady_clock::time_point deadline);

    /// The server's greeting must be OK.
    void greeting() { await_ok(nullptr); }

    /// Sends `command` and waits for its OK; "D" lines are decoded into `data` when given,
    /// and are a protocol violation otherwise.
    void transact(std::string_view command, SecureBuffer* data = nullptr) {
        send(command);
        await_ok(data);
    }

private:
    [[noreturn]] void violation(const std::string& what) const;
    void send(std::string_view command);
    std::string_view next_line();
    void await_ok(SecureBuffer* data);
    [[noreturn]] void fail(std::string_view text) const;
    void decode(std::string_view text, SecureBuffer& out) const;

    int fd_;
    std::string peer_;
    std::chrono::steady_clock::time_point deadline_;
    SecureBuffer in_;
    std::size_t consumed_ = 0;
    int lines_ = 0;
};

/// Assuan's escaping for command arguments: '%' and control characters as "%XX".
std::string assuan_escape(std::string_view text);

}  // namespace cardbridge::daemon
