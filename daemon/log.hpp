#pragma once
// Log lines on stderr. Under systemd (JOURNAL_STREAM set) each line starts with its syslog
// priority "<N>" so journald files it at the right level; on a terminal it reads plainly.
// Never pass a PIN, signed data or a whole request here.

#include <string_view>

namespace cardbridge::daemon {

enum class LogLevel { error = 3, warning = 4, info = 6, debug = 7 };

void log(LogLevel level, std::string_view message);

/// Drops lines less important than `threshold` from now on (the config's "logLevel"); until
/// it is called the threshold is info.
void set_log_level(LogLevel threshold) noexcept;

}  // namespace cardbridge::daemon
