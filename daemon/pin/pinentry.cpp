// The prompt's words and the steps of one PIN request. The child process is pinentry_process,
// the protocol spoken with it assuan_conversation.

#include "pin/pinentry.hpp"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "cardbridge/protocol/error.hpp"
#include "pin/assuan_conversation.hpp"
#include "pin/pinentry_process.hpp"

namespace cardbridge::daemon {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kSearchOrder[] = {
    "pinentry", "pinentry-gnome3", "pinentry-qt", "pinentry-gtk2", "pinentry-curses",
};

// What each untrusted part of the description may take of the SETDESC line once escaped;
// with the fixed words (under kFixedText) the line always fits Assuan's limit, and the last
// line (the retries left) is never cut off.
constexpr std::size_t kOriginBudget = 250, kPurposeBudget = 360, kLabelBudget = 150,
                      kReaderBudget = 150, kFixedText = 80;
static_assert(kOriginBudget + kPurposeBudget + kLabelBudget + kReaderBudget + kFixedText <
              AssuanConversation::kMaxLine);

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
void describe_terminal(AssuanConversation& talk) {
    for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
        char name[256];
        if (::isatty(fd) != 1 || ::ttyname_r(fd, name, sizeof name) != 0) continue;
        talk.transact("OPTION ttyname=" + assuan_escape(name));
        if (const char* term = std::getenv("TERM"); term != nullptr && *term != '\0')
            talk.transact("OPTION ttytype=" + assuan_escape(term));
        for (const char* variable : {"LC_ALL", "LC_CTYPE", "LANG"}) {
            if (const char* locale = std::getenv(variable); locale != nullptr && *locale != '\0') {
                talk.transact("OPTION lc-ctype=" + assuan_escape(locale));
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
    const PinentryProcess pinentry(config.program);
    AssuanConversation talk(pinentry.socket(), pinentry.name(), deadline);

    talk.greeting();
    describe_terminal(talk);
    talk.transact("SETTITLE cardbridge");
    talk.transact("SETDESC " + assuan_escape(description(prompt)));
    talk.transact("SETPROMPT " + assuan_escape(prompt_label(prompt.kind)));
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
