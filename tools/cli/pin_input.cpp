#include "pin_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>

#include "cardbridge/protocol/error.hpp"
#include "pin/secure_pin.hpp"

namespace cardbridge::cli {
namespace {

// Echo, line editing and signals off for as long as it lives: Ctrl-C must reach us as a key,
// or it would end the process with the terminal left silent.
class RawTerminal {
public:
    explicit RawTerminal(int fd) : fd_(fd) {
        if (::tcgetattr(fd_, &saved_) != 0)
            throw Error(Reason::INTERNAL, "cannot read the terminal's settings");
        termios raw = saved_;
        raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | ISIG);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        if (::tcsetattr(fd_, TCSAFLUSH, &raw) != 0)
            throw Error(Reason::INTERNAL, "cannot turn off echo");
    }
    ~RawTerminal() { ::tcsetattr(fd_, TCSAFLUSH, &saved_); }
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

private:
    int fd_;
    termios saved_{};
};

// One byte of stdin; nullopt at its end.
std::optional<char> next_byte() {
    char c = 0;
    while (true) {
        auto n = ::read(STDIN_FILENO, &c, 1);
        if (n == 1) return c;
        if (n == 0) return std::nullopt;
        if (errno != EINTR) throw Error(Reason::INTERNAL, "cannot read the PIN from stdin");
    }
}

constexpr char kCtrlC = 0x03, kCtrlD = 0x04, kBackspace = 0x08, kCtrlU = 0x15, kDelete = 0x7f;

// Keys as a terminal in raw mode delivers them, with the editing a line would allow.
void read_from_terminal(std::string& text) {
    RawTerminal raw(STDIN_FILENO);
    while (auto c = next_byte()) {
        if (*c == '\r' || *c == '\n') return;
        if (*c == kCtrlC || (*c == kCtrlD && text.empty()))
            throw Error(Reason::PIN_CANCELLED, "cancelled");
        if (*c == kBackspace || *c == kDelete) {
            if (!text.empty()) {
                text.back() = '\0';  // pop_back alone would leave the digit in the buffer
                text.pop_back();
            }
        } else if (*c == kCtrlU) {
            daemon::wipe(text);
        } else if (static_cast<unsigned char>(*c) >= 0x20 && text.size() <= TypedPin::kMaxBytes) {
            text.push_back(*c);
        }
    }
    throw Error(Reason::PIN_CANCELLED, "the terminal closed");
}

void read_line(std::string& text) {
    auto c = next_byte();
    if (!c) throw Error(Reason::PIN_CANCELLED, "no PIN on stdin");
    for (; c && *c != '\n'; c = next_byte())
        if (text.size() <= TypedPin::kMaxBytes) text.push_back(*c);
    if (!text.empty() && text.back() == '\r') text.pop_back();
}

}  // namespace

TypedPin::~TypedPin() {
    daemon::wipe(text_);
}

void read_pin(TypedPin& pin, std::string_view prompt) {
    daemon::wipe(pin.text_);
    if (::isatty(STDIN_FILENO)) {
        std::fprintf(stderr, "%.*s", static_cast<int>(prompt.size()), prompt.data());
        std::fflush(stderr);
        try {
            read_from_terminal(pin.text_);
        } catch (...) {
            std::fputc('\n', stderr);
            throw;
        }
        std::fputc('\n', stderr);
    } else {
        read_line(pin.text_);
    }
    if (pin.text_.empty()) throw Error(Reason::PIN_FORMAT, "the PIN is empty");
    if (pin.text_.size() > TypedPin::kMaxBytes)
        throw Error(Reason::PIN_FORMAT,
                    "the PIN is longer than " + std::to_string(TypedPin::kMaxBytes) + " bytes");
}

}  // namespace cardbridge::cli
