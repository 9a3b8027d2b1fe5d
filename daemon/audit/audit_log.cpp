#include "audit/audit_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include <nlohmann/json.hpp>

#include "log.hpp"
#include "cardbridge/unique_fd.hpp"

namespace cardbridge::daemon {

namespace {

std::string utc_text(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm parts{};
    ::gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::string line_for(const AuditEntry& entry) {
    // ordered_json keeps the members in the order a reader expects: when, who, what, outcome.
    nlohmann::ordered_json line;
    line["time"] = utc_text(entry.time);
    line["origin"] = entry.origin;
    line["token"] = entry.token;
    line["reader"] = entry.reader;
    line["certificateSerial"] = entry.certificate_serial;
    line["purpose"] = entry.purpose;
    line["operation"] = entry.operation == AuditEntry::Operation::sign ? "sign" : "login";
    line["algorithm"] = entry.algorithm;
    line["result"] = entry.failure ? std::string(reason_name(*entry.failure)) : "ok";
    // A page's purpose or a card's label may be invalid UTF-8: replaced, never a throw.
    return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

/// The directory of the log, private to us when we are the ones making it.
bool prepare_directory(const std::filesystem::path& dir) {
    std::error_code ec;
    if (dir.empty() || std::filesystem::is_directory(dir, ec)) return true;
    std::filesystem::create_directories(dir.parent_path(), ec);
    return ::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST;
}

}  // namespace

void AuditLog::append(const AuditEntry& entry) const noexcept {
    try {
        const auto line = line_for(entry);
        // The line itself goes to the daemon's log instead: it holds nothing secret.
        const auto lost = [&](const std::string& why) {
            log(LogLevel::error, "audit log " + file_.string() + ": " + why +
                                     "; not recorded: " + line.substr(0, line.size() - 1));
        };
        const auto failed = [](const char* step) {
            return step + std::string(": ") + std::strerror(errno);
        };
        if (!prepare_directory(file_.parent_path())) {
            lost(failed("cannot create its directory"));
            return;
        }
        const UniqueFd fd(
            ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600));
        if (!fd) {
            lost(failed("cannot open"));
            return;
        }
        const ssize_t written = ::write(fd.get(), line.data(), line.size());
        if (written < 0)
            lost(failed("cannot write"));
        else if (static_cast<std::size_t>(written) != line.size())
            lost("only part of the line was written (is the disk full?)");
    } catch (const std::exception& e) {
        log(LogLevel::error, "audit log " + file_.string() + ": " + e.what());
    }
}

}  // namespace cardbridge::daemon
