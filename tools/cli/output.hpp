#pragma once
// Where the CLI's results and errors go, as text in the user's language or as JSON, and the
// one mapping from an error's reason to the exit status (listed in `cardbridge --help`).

#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"
#include "messages.hpp"

namespace cardbridge::cli {

enum ExitStatus : int {
    kExitOk = 0,
    kExitCheckFailed = 1,
    kExitUsage = 2,
    kExitNotRunning = 3,
    kExitRefused = 4,
    kExitCard = 5,
    kExitPin = 6,
    kExitTokenInvalid = 7,
    kExitTimeout = 8,
    kExitOther = 9,
};

ExitStatus exit_status_for(Reason reason) noexcept;

/// {"error":{"reason":…,"code":…,"message":…,"retriesLeft":n}} (retriesLeft when known)
protocol::Json error_to_json(const Error& error);

struct Output {
    bool json = false;
    Language language = Language::en;
    std::ostream& out;
    std::ostream& err;

    std::string text(Msg id, std::initializer_list<std::string_view> args = {}) const {
        return message(language, id, args);
    }
    /// A line of text on stdout (text mode only; JSON mode prints values instead).
    void line(std::string_view text) const { out << text << '\n'; }
    /// One JSON value on one line of stdout, flushed (watch prints one per event).
    void value(const protocol::Json& json_value) const;
    /// "cardbridge: REASON: message (n tries left)" on stderr, or error_to_json on stdout.
    /// Returns the exit status for it.
    ExitStatus error(const Error& e) const;
    /// That cardbridged does not listen on `socket` and how to start it, or
    /// {"running":false,"socket":…}.
    ExitStatus not_running(const std::string& socket) const;
};

}  // namespace cardbridge::cli
