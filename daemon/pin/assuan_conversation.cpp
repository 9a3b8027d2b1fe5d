#include "pin/assuan_conversation.hpp"

#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "cardbridge/protocol/error.hpp"
#include "pin/secure_pin.hpp"

namespace cardbridge::daemon {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A pinentry sends an OK per command and at most a few status or comment lines besides;
// anything chattier is not a pinentry.
constexpr int kMaxLines = 100;
// libgpg-error codes (the low 16 bits of an Assuan ERR): Cancel or the window closed, and
// pinentry's "cancel everything".
constexpr unsigned long kGpgErrCanceled = 99;
constexpr unsigned long kGpgErrFullyCanceled = 198;

/// Waits for `events` on `fd`; false when `deadline` comes first.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        if (left <= 0ms) return false;
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, static_cast<int>(left.count()));
        if (n > 0) return true;
        if (n < 0 && errno != EINTR) return false;
    }
}

[[noreturn]] void timed_out() {
    throw Error(Reason::TIMEOUT, "the PIN prompt was not answered in time");
}

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

SecureBuffer::SecureBuffer(std::size_t capacity) : capacity_(capacity) {
    if (sodium_init() < 0) throw Error(Reason::INTERNAL, "libsodium could not be initialised");
    data_ = static_cast<char*>(sodium_malloc(capacity));
    if (data_ == nullptr) throw std::bad_alloc();
}

SecureBuffer::~SecureBuffer() {
    sodium_free(data_);
}

AssuanConversation::AssuanConversation(int fd, std::string peer, Clock::time_point deadline)
    : fd_(fd), peer_(std::move(peer)), deadline_(deadline), in_(kMaxLine) {}

void AssuanConversation::violation(const std::string& what) const {
    throw Error(Reason::INTERNAL, peer_ + " " + what);
}

void AssuanConversation::send(std::string_view command) {
    std::string line(command);
    line.push_back('\n');
    for (std::size_t sent = 0; sent < line.size();) {
        // MSG_NOSIGNAL: a pinentry that died is an error here, not a SIGPIPE for the daemon.
        const ssize_t n =
            ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) {
            sent += static_cast<std::size_t>(n);
        } else if (errno == EAGAIN) {
            if (!wait_for(fd_, POLLOUT, deadline_)) timed_out();
        } else if (errno != EINTR) {
            violation("stopped listening (it exited or crashed; its messages are in the log)");
        }
    }
}

/// The next line without its LF, valid until the next call.
std::string_view AssuanConversation::next_line() {
    if (++lines_ > kMaxLines) violation("sent more than " + std::to_string(kMaxLines) + " lines");
    if (consumed_ > 0) {
        // Move the rest forward and wipe what the previous line leaves behind.
        std::memmove(in_.data(), in_.data() + consumed_, in_.size - consumed_);
        in_.size -= consumed_;
        sodium_memzero(in_.data() + in_.size, consumed_);
        consumed_ = 0;
    }
    for (;;) {
        if (const void* lf = std::memchr(in_.data(), '\n', in_.size)) {
            const auto length = static_cast<std::size_t>(static_cast<const char*>(lf) - in_.data());
            consumed_ = length + 1;
            return {in_.data(), length};
        }
        if (in_.size == in_.capacity())
            violation("sent a line longer than " + std::to_string(kMaxLine) + " bytes");
        if (!wait_for(fd_, POLLIN, deadline_)) timed_out();
        const ssize_t n =
            ::recv(fd_, in_.data() + in_.size, in_.capacity() - in_.size, MSG_DONTWAIT);
        if (n > 0)
            in_.size += static_cast<std::size_t>(n);
        else if (n == 0)
            violation("ended the conversation (it exited or crashed; its messages are in the log)");
        else if (errno != EAGAIN && errno != EINTR)
            violation(std::string("cannot be read from: ") + std::strerror(errno));
    }
}

void AssuanConversation::await_ok(SecureBuffer* data) {
    for (;;) {
        const auto line = next_line();
        const auto keyword = line.substr(0, line.find(' '));
        if (keyword == "OK") return;
        if (keyword == "ERR") fail(line.substr(keyword.size()));
        if (keyword == "D" && data != nullptr)
            decode(line.substr(2), *data);
        else if (keyword != "S" && !keyword.starts_with('#'))
            // Never quoted: a line out of place may hold the PIN.
            violation("broke the Assuan protocol (a line that is not OK, ERR, D, S or #)");
    }
}

void AssuanConversation::fail(std::string_view text) const {
    const unsigned long code = std::strtoul(std::string(text).c_str(), nullptr, 10) & 0xFFFF;
    if (code == kGpgErrCanceled || code == kGpgErrFullyCanceled)
        throw Error(Reason::PIN_CANCELLED, "the PIN prompt was cancelled");
    violation("failed:" + std::string(text));
}

/// Assuan data: "%XX" escapes, every other byte as it is.
void AssuanConversation::decode(std::string_view text, SecureBuffer& out) const {
    for (std::size_t i = 0; i < text.size(); ++i) {
        char byte = text[i];
        if (byte == '%') {
            const int high = i + 1 < text.size() ? hex_digit(text[i + 1]) : -1;
            const int low = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
            if (high < 0 || low < 0) violation("sent a malformed escape in its data");
            byte = static_cast<char>(high * 16 + low);
            i += 2;
        }
        if (out.size == out.capacity())
            throw Error(Reason::PIN_FORMAT,
                        "a PIN must be 1 to " + std::to_string(SecurePin::kMaxBytes) + " bytes");
        out.data()[out.size++] = byte;
    }
}

std::string assuan_escape(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '%' || byte < 0x20) {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace cardbridge::daemon
