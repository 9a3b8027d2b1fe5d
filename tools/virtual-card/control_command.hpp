#pragma once
// The control channel's language: one command per line, one reply line per command.
//   insert | remove | mute | unmute | delay <ms> | status
// Replies: "ok <status>" after every command that worked, "error <why>" otherwise, where
// <status> is "state=removed|waiting|connected powered=yes|no muted=yes|no delay_ms=N apdus=N".

#include <chrono>
#include <string>
#include <string_view>

#include "vpcd_link.hpp"

namespace cardbridge::vcard {

inline constexpr std::chrono::milliseconds kMaxAnswerDelay{60'000};

struct ControlCommand {
    enum class Kind { insert, remove, mute, unmute, delay, status };
    Kind kind = Kind::status;
    std::chrono::milliseconds delay{0};
};

/// Throws Error(INVALID_PARAMS) saying what is wrong with the line.
ControlCommand parse_control_command(std::string_view line);

std::string format_status(const LinkStatus& status);

/// Runs one line against the link and returns the reply line (without its newline).
std::string run_control_command(std::string_view line, VpcdLink& link);

}  // namespace cardbridge::vcard
