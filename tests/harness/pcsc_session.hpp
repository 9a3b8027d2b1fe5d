#pragma once
// Just enough PC/SC for the harness and the integration tests: a context, a connected card and
// waiting for a reader state, each call's failure raised as cardbridge::Error.

#include <winscard.h>
#include <wintypes.h>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cardbridge::testing {

/// Error(PCSC_UNAVAILABLE) naming the call and pcsc-lite's text for `result`.
[[noreturn]] void throw_pcsc_error(const char* call, LONG result);

class PcscContext {
public:
    PcscContext();
    ~PcscContext();
    PcscContext(const PcscContext&) = delete;
    PcscContext& operator=(const PcscContext&) = delete;

    SCARDCONTEXT get() const noexcept { return context_; }

private:
    SCARDCONTEXT context_ = 0;
};

class PcscCard {
public:
    PcscCard(const PcscContext& context, const std::string& reader);
    ~PcscCard();
    PcscCard(const PcscCard&) = delete;
    PcscCard& operator=(const PcscCard&) = delete;

    /// pcsc-lite's result code; `response` holds data ‖ SW on success.
    LONG transmit(std::span<const std::uint8_t> command, std::vector<std::uint8_t>& response);
    /// Throws on any failure.
    std::vector<std::uint8_t> transmit(std::span<const std::uint8_t> command);

private:
    SCARDHANDLE handle_ = 0;
    DWORD protocol_ = 0;
};

/// Blocks until `reader` exists and its state has every bit of `wanted` (e.g.
/// SCARD_STATE_PRESENT), and returns that state; throws Error(TIMEOUT) after `timeout`.
DWORD wait_for_reader_state(const PcscContext& context, const std::string& reader, DWORD wanted,
                            std::chrono::milliseconds timeout);

/// The named environment variable, which vcard-env sets; throws when it is missing.
std::string required_env(const char* name);

}  // namespace cardbridge::testing
