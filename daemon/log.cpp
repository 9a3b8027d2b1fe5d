#include "log.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace cardbridge::daemon {

void log(LogLevel level, std::string_view message) {
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
