#include "log.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace cardbridge::daemon {

namespace {
// The one piece of process-wide mutable state in the daemon: every part logs, from every
// thread, and threading a logger object through all of them would buy nothing but noise.
// Atomic, so a config reload can change it while token workers are logging.
std::atomic<LogLevel> threshold{LogLevel::info};
}  // namespace

void set_log_level(LogLevel level) noexcept {
    threshold.store(level, std::memory_order_relaxed);
}

void log(LogLevel level, std::string_view message) {
    // Lower numbers are more important (syslog priorities).
    if (static_cast<int>(level) > static_cast<int>(threshold.load(std::memory_order_relaxed)))
        return;
    static const bool journald = std::getenv("JOURNAL_STREAM") != nullptr;
    std::string line;
    if (journald)
        line = "<" + std::to_string(static_cast<int>(level)) + ">";
    else if (level == LogLevel::error)
        line = "error: ";
    else if (level == LogLevel::warning)
        line = "warning: ";
    line.append(message).push_back('\n');
    // One write per line, so lines from several threads never interleave.
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace cardbridge::daemon
