#pragma once
// The audit log: one JSON line per signature or login, whatever its outcome, so the user can
// see afterwards which site used the card, when and for what. It records who and what, never
// the data signed, its hash, a nonce, the signature or the PIN.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::daemon {

struct AuditEntry {
    enum class Operation { sign, login };

    std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
    std::string origin;
    std::string token;  // the token id tokens.list shows, e.g. "piv:0123…"
    std::string reader;
    std::string certificate_serial;
    std::string purpose;
    Operation operation = Operation::sign;
    std::string algorithm;
    std::optional<Reason> failure{};  // empty: it succeeded
};

class AuditLog {
public:
    /// Nothing is touched until the first entry: the file is created then (mode 0600), with
    /// its directory (0700) when that is missing.
    explicit AuditLog(std::filesystem::path file) : file_(std::move(file)) {}

    /// Appends one line with a single write() to a file opened O_APPEND, so lines from several
    /// threads or processes never interleave. Opened per entry, so a rotated log is picked up.
    /// Never throws: a failure is logged, and the operation it records has happened anyway.
    void append(const AuditEntry& entry) const noexcept;

    const std::filesystem::path& file() const noexcept { return file_; }

private:
    std::filesystem::path file_;
};

}  // namespace cardbridge::daemon
