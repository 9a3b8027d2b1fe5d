#include "pin/pinentry.hpp"

#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
// glibc 2.36's <sys/pidfd.h> lacks the extern "C" its other headers have.
extern "C" {
#include <sys/pidfd.h>
}
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>
#include <utility>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Assuan's own limit: a line is at most 1000 bytes including its LF.
constexpr std::size_t kMaxLine = 1000;
// A pinentry sends an OK per command and at most a few status or comment lines besides;
// anything chattier is not a pinentry.
constexpr int kMaxLines = 100;
// How long a pinentry gets to go away by itself (after EOF), then after SIGTERM, before
// SIGKILL. SIGTERM first because pinentry-curses puts the terminal back on it.
constexpr auto kGrace = 500ms;
// libgpg-error codes (the low 16 bits of an Assuan ERR): Cancel or the window closed, and
// pinentry's "cancel everything".
constexpr unsigned long kGpgErrCanceled = 99;
constexpr unsigned long kGpgErrFullyCanceled = 198;

constexpr std::string_view kSearchOrder[] = {
    "pinentry", "pinentry-gnome3", "pinentry-qt", "pinentry-gtk2", "pinentry-curses",
};

// What each untrusted part of the description may take of the SETDESC line once escaped;
// with the fixed words (under kFixedText) the line always fits Assuan's limit, and the last
// line (the retries left) is never cut off.
constexpr std::size_t kOriginBudget = 250, kPurposeBudget = 360, kLabelBudget = 150,
                      kReaderBudget = 150, kFixedText = 80;
static_assert(kOriginBudget + kPurposeBudget + kLabelBudget + kReaderBudget + kFixedText <
              kMaxLine);

class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) noexcept : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const noexcept { return fd_; }
    void reset() noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

/// Bytes that are, or may contain, the PIN: sodium_malloc'd, wiped when freed.
class SecureBuffer {
public:
    explicit SecureBuffer(std::size_t capacity) : capacity_(capacity) {
        if (sodium_init() < 0) throw Error(Reason::INTERNAL, "libsodium could not be initialised");
        data_ = static_cast<char*>(sodium_malloc(capacity));
        if (data_ == nullptr) throw std::bad_alloc();
    }
    ~SecureBuffer() { sodium_free(data_); }
    SecureBuffer(const SecureBuffer&) = delete;
    SecureBuffer& operator=(const SecureBuffer&) = delete;

    char* data() noexcept { return data_; }
    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t size = 0;  // how much of it is in use: the caller keeps count

private:
    char* data_;
    std::size_t capacity_;
};

std::string describe_program(const std::filesystem::path& program) {
    return "PIN prompt " + program.string();
}

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

struct SpawnActions {
    SpawnActions() { posix_spawn_file_actions_init(&value); }
    ~SpawnActions() { posix_spawn_file_actions_destroy(&value); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    posix_spawn_file_actions_t value;
};

struct SpawnAttributes {
    SpawnAttributes() { posix_spawnattr_init(&value); }
    ~SpawnAttributes() { posix_spawnattr_destroy(&value); }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
    posix_spawnattr_t value;
};

/// The running pinentry, with `stdio_fd` as its stdin and stdout. Its pidfd turns "wait for
/// it to exit, but not forever" into a poll(); the destructor always reaps it.
class Child {
public:
    Child(const std::filesystem::path& program, int stdio_fd) {
        SpawnActions actions;
        posix_spawn_file_actions_adddup2(&actions.value, stdio_fd, STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions.value, stdio_fd, STDOUT_FILENO);
        // Whatever another thread opened without O_CLOEXEC stays the daemon's.
        posix_spawn_file_actions_addclosefrom_np(&actions.value, STDERR_FILENO + 1);
        // The daemon's signal mask and dispositions are its own business, not the prompt's.
        SpawnAttributes attributes;
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attributes.value, &none);
        posix_spawnattr_setsigdefault(&attributes.value, &all);
        posix_spawnattr_setflags(&attributes.value, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

        // No shell. stderr stays the daemon's, so the program's own complaints reach its log;
        // so does the environment (DISPLAY, WAYLAND_DISPLAY, DBUS_SESSION_BUS_ADDRESS).
        std::string path = program.string();
        char* argv[] = {path.data(), nullptr};
        const int rc =
            ::posix_spawnp(&pid_, path.c_str(), &actions.value, &attributes.value, argv, environ);
        if (rc != 0)
            throw Error(Reason::INTERNAL,
                        describe_program(program) + " cannot be started: " + std::strerror(rc));
        pidfd_ = UniqueFd(::pidfd_open(pid_, 0));
        if (pidfd_.get() < 0) {
            const int e = errno;
            ::kill(pid_, SIGKILL);
            reap();
            throw Error(Reason::INTERNAL,
                        describe_program(program) + ": pidfd_open: " + std::strerror(e));
        }
    }

    /// Our end of its socket is closed by then, so a pinentry that is done has seen EOF.
    ~Child() {
        if (!exited_within(kGrace)) {
            ::pidfd_send_signal(pidfd_.get(), SIGTERM, nullptr, 0);
            if (!exited_within(kGrace)) ::pidfd_send_signal(pidfd_.get(), SIGKILL, nullptr, 0);
        }
        reap();
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

private:
    bool exited_within(std::chrono::milliseconds grace) const noexcept {
        pollfd p{pidfd_.get(), POLLIN, 0};
        int n;
        do n = ::poll(&p, 1, static_cast<int>(grace.count()));
        while (n < 0 && errno == EINTR);
        return n > 0;
    }
    void reap() const noexcept {
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
    }

    pid_t pid_ = -1;
    UniqueFd pidfd_;
};

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/// The client side of one Assuan session: lines out, lines in, all against one deadline.
/// Lines come in through secure memory, because one of them carries the PIN.
class Conversation {
public:
    Conversation(UniqueFd fd, std::string program, Clock::time_point deadline)
        : fd_(std::move(fd)), program_(std::move(program)), deadline_(deadline), in_(kMaxLine) {}

    /// The server's greeting must be OK.
    void greeting() { await_ok(nullptr); }

    /// Sends `command` and waits for its OK; "D" lines are decoded into `data` when given,
    /// and are a protocol violation otherwise.
    void transact(std::string_view command, SecureBuffer* data = nullptr) {
        send(command);
        await_ok(data);
    }

private:
    [[noreturn]] void violation(const std::string& what) const {
        throw Error(Reason::INTERNAL, program_ + " " + what);
    }
    [[noreturn]] static void timed_out() {
        throw Error(Reason::TIMEOUT, "the PIN prompt was not answered in time");
    }

    void send(std::string_view command) {
        std::string line(command);
        line.push_back('\n');
        for (std::size_t sent = 0; sent < line.size();) {
            // MSG_NOSIGNAL: a pinentry that died is an error here, not a SIGPIPE for the daemon.
            const ssize_t n = ::send(fd_.get(), line.data() + sent, line.size() - sent,
                                     MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n >= 0) {
                sent += static_cast<std::size_t>(n);
            } else if (errno == EAGAIN) {
                if (!wait_for(fd_.get(), POLLOUT, deadline_)) timed_out();
            } else if (errno != EINTR) {
                violation("stopped listening (it exited or crashed; its messages are in the log)");
            }
        }
    }

    /// The next line without its LF, valid until the next call.
    std::string_view next_line() {
        if (++lines_ > kMaxLines)
            violation("sent more than " + std::to_string(kMaxLines) + " lines");
        if (consumed_ > 0) {
            // Move the rest forward and wipe what the previous line leaves behind.
            std::memmove(in_.data(), in_.data() + consumed_, in_.size - consumed_);
            in_.size -= consumed_;
            sodium_memzero(in_.data() + in_.size, consumed_);
            consumed_ = 0;
        }
        for (;;) {
            if (const void* lf = std::memchr(in_.data(), '\n', in_.size)) {
                const auto length =
                    static_cast<std::size_t>(static_cast<const char*>(lf) - in_.data());
                consumed_ = length + 1;
                return {in_.data(), length};
            }
            if (in_.size == in_.capacity())
                violation("sent a line longer than " + std::to_string(kMaxLine) + " bytes");
            if (!wait_for(fd_.get(), POLLIN, deadline_)) timed_out();
            const ssize_t n =
                ::recv(fd_.get(), in_.data() + in_.size, in_.capacity() - in_.size, MSG_DONTWAIT);
            if (n > 0)
                in_.size += static_cast<std::size_t>(n);
            else if (n == 0)
                violation(
                    "ended the conversation (it exited or crashed; its messages are in the log)");
            else if (errno != EAGAIN && errno != EINTR)
                violation(std::string("cannot be read from: ") + std::strerror(errno));
        }
    }

    void await_ok(SecureBuffer* data) {
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

    [[noreturn]] void fail(std::string_view text) const {
        const unsigned long code = std::strtoul(std::string(text).c_str(), nullptr, 10) & 0xFFFF;
        if (code == kGpgErrCanceled || code == kGpgErrFullyCanceled)
            throw Error(Reason::PIN_CANCELLED, "the PIN prompt was cancelled");
        violation("failed:" + std::string(text));
    }

    /// Assuan data: "%XX" escapes, every other byte as it is.
    void decode(std::string_view text, SecureBuffer& out) const {
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
                throw Error(
                    Reason::PIN_FORMAT,
                    "a PIN must be 1 to " + std::to_string(SecurePin::kMaxBytes) + " bytes");
            out.data()[out.size++] = byte;
        }
    }

    UniqueFd fd_;
    std::string program_;
    Clock::time_point deadline_;
    SecureBuffer in_;
    std::size_t consumed_ = 0;
    int lines_ = 0;
};

/// Assuan's escaping for command arguments: '%' and control characters as "%XX".
std::string escape(std::string_view text) {
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

/// Untrusted text (from a page, a card or a reader driver) made fit for one line of the
/// prompt: control characters become spaces, so nobody adds lines of their own, and the text
/// is cut at a character boundary, with "…", where its escaped form would exceed `budget`.
std::string shown(std::string_view text, std::size_t budget) {
    static constexpr std::string_view kEllipsis = "…";
    const auto escaped_size =
        text.size() + 2 * static_cast<std::size_t>(std::count(text.begin(), text.end(), '%'));
    const std::size_t room = escaped_size <= budget ? budget : budget - kEllipsis.size();
    std::string out;
    std::size_t cost = 0;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = 1;  // one UTF-8 sequence: its lead byte and continuation bytes
        while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) ++n;
        const std::size_t c = text[i] == '%' ? 3 : n;
        if (cost + c > room) {
            out += kEllipsis;
            break;
        }
        for (std::size_t k = 0; k < n; ++k) {
            const auto byte = static_cast<unsigned char>(text[i + k]);
            out += byte < 0x20 || byte == 0x7F ? ' ' : text[i + k];
        }
        cost += c;
        i += n;
    }
    return out;
}

std::string description(const PinPrompt& prompt) {
    std::string text =
        prompt.origin.empty() ? "A local program" : shown(prompt.origin, kOriginBudget);
    text += " wants to " + shown(prompt.purpose, kPurposeBudget) + "\n";
    if (prompt.token_label.empty())
        text += "Card in " + shown(prompt.reader, kReaderBudget);
    else
        text += "Card: " + shown(prompt.token_label, kLabelBudget) + " (" +
                shown(prompt.reader, kReaderBudget) + ")";
    if (prompt.retries_left)
        text += "\n" + std::to_string(*prompt.retries_left) +
                (*prompt.retries_left == 1 ? " try left" : " tries left");
    return text;
}

std::string_view prompt_label(PinPrompt::Kind kind) {
    switch (kind) {
        case PinPrompt::Kind::new_pin:
            return "New PIN:";
        case PinPrompt::Kind::repeat:
            return "Repeat the new PIN:";
        case PinPrompt::Kind::current:
            break;
    }
    return "PIN:";
}

/// pinentry-curses draws on a terminal it is told about; a graphical one ignores these. A
/// daemon started by systemd has no terminal, and then there is nothing to tell.
void describe_terminal(Conversation& talk) {
    for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
        char name[256];
        if (::isatty(fd) != 1 || ::ttyname_r(fd, name, sizeof name) != 0) continue;
        talk.transact("OPTION ttyname=" + escape(name));
        if (const char* term = std::getenv("TERM"); term != nullptr && *term != '\0')
            talk.transact("OPTION ttytype=" + escape(term));
        for (const char* variable : {"LC_ALL", "LC_CTYPE", "LANG"}) {
            if (const char* locale = std::getenv(variable); locale != nullptr && *locale != '\0') {
                talk.transact("OPTION lc-ctype=" + escape(locale));
                break;
            }
        }
        return;
    }
}

}  // namespace

PinentryConfig find_pinentry(const std::optional<std::filesystem::path>& configured) {
    if (configured) return PinentryConfig{*configured};
    const char* path = std::getenv("PATH");
    const std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    for (const auto name : kSearchOrder) {
        for (std::size_t at = 0; at <= dirs.size();) {
            const auto end = std::min(dirs.find(':', at), dirs.size());
            const auto dir = dirs.substr(at, end - at);
            at = end + 1;
            if (dir.empty()) continue;  // POSIX: the current directory; not for a daemon
            const auto candidate = std::filesystem::path(dir) / name;
            std::error_code ec;
            if (std::filesystem::is_regular_file(candidate, ec) &&
                ::access(candidate.c_str(), X_OK) == 0)
                return PinentryConfig{candidate};
        }
    }
    return PinentryConfig{};
}

SecurePin ask_pin(const PinentryConfig& config, const PinPrompt& prompt,
                  std::chrono::seconds timeout) {
    if (config.program.empty())
        throw Error(Reason::INTERNAL,
                    "no PIN prompt program: install pinentry-gnome3 (or pinentry-qt, "
                    "pinentry-curses), or name one as \"pinentry\" in the config");
    const auto deadline = Clock::now() + timeout;

    // One socket for the child's stdin and stdout rather than two pipes: the same bytes, but
    // send() can refuse SIGPIPE when the child is gone.
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        throw Error(Reason::INTERNAL, std::string("socketpair: ") + std::strerror(errno));
    UniqueFd ours(fds[0]), theirs(fds[1]);
    const Child child(config.program, theirs.get());
    theirs.reset();  // else we would never see EOF when the child dies
    // Declared after the child, so our end closes (EOF for the child) before it is reaped.
    Conversation talk(std::move(ours), describe_program(config.program), deadline);

    talk.greeting();
    describe_terminal(talk);
    talk.transact("SETTITLE cardbridge");
    talk.transact("SETDESC " + escape(description(prompt)));
    talk.transact("SETPROMPT " + escape(prompt_label(prompt.kind)));
    // No stable key identity, so no pinentry ever offers to remember this PIN.
    talk.transact("SETKEYINFO --clear");
    SecureBuffer pin(SecurePin::kMaxBytes);
    talk.transact("GETPIN", &pin);
    return SecurePin::from(std::string_view(pin.data(), pin.size));
}

SecurePin ask_new_pin(const PinentryConfig& config, PinPrompt prompt,
                      std::chrono::seconds timeout) {
    prompt.kind = PinPrompt::Kind::new_pin;
    auto first = ask_pin(config, prompt, timeout);
    prompt.kind = PinPrompt::Kind::repeat;
    const auto second = ask_pin(config, prompt, timeout);
    const bool same = first.with_bytes([&](std::span<const unsigned char> a) {
        return second.with_bytes([&](std::span<const unsigned char> b) {
            return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
        });
    });
    if (!same) throw Error(Reason::PIN_FORMAT, "the two new PINs differ");
    return first;
}

}  // namespace cardbridge::daemon
