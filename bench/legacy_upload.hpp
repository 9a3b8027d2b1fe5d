#pragma once
// legacy_bench's client side of the legacy E-Port API (docs/LEGACY.md): calls in one message,
// and a large call cut into BLOCKTXT frames as the official JavaScript library sends them, with
// the daemon's memory read from /proc around each upload.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "proc_probe.hpp"
#include "ws_client.hpp"

namespace cardbridge::bench {

class LegacyClient {
public:
    /// Connects and reads the daemon's legacy hello, which it sends first on every connection.
    LegacyClient(std::uint16_t port, const std::string& origin);

    /// One call in one message; returns `_args`. Throws when the answer is not Result true.
    nlohmann::json call(const std::string& method, const nlohmann::json& args);

    /// Sends frames[0], then frames[next] for each `_nextBlock` until `finish`; returns the
    /// call's whole answer. `finished_ms`: from the first frame to `finish`; `writing_ms`: the
    /// part of it this client spent writing frames (the rest is the daemon's, and the network's).
    nlohmann::json upload(const std::vector<std::string>& frames, std::int64_t id,
                          double& finished_ms, double& writing_ms);

    std::int64_t next_id() { return next_id_++; }

private:
    nlohmann::json read_message();
    nlohmann::json read_answer(std::int64_t id);

    testing::WsClient ws_;
    std::int64_t next_id_ = 1;
};

struct UploadRound {
    double wall_ms = 0;                  // first frame sent → the call's answer read
    double finished_ms = 0;              // first frame sent → `finish` read
    double writing_ms = 0;               // of finished_ms, in this client's writes
    ProcessSample before;                // after the VmHWM reset
    std::uint64_t lifetime_hwm_kib = 0;  // VmHWM before the reset: the peak since start
    ProcessSample after;                 // VmHWM here is the peak since the reset
};

struct UploadResult {
    std::size_t data_bytes = 0;     // inData, UTF-8
    std::size_t data_units = 0;     // inData, UTF-16 code units (what BLOCKTXT counts)
    std::size_t request_bytes = 0;  // the whole call's JSON text
    std::size_t frames = 0;
    bool nodelay = true;     // the client's socket had TCP_NODELAY, as a browser's has
    bool peak_reset = true;  // false: the kernel refused clear_refs, peaks are since start
    std::vector<UploadRound> rounds;
};

/// `rounds` uploads of cus-sec_SpcSignDataAsPEM with an inData of `data_bytes` (ASCII with
/// Chinese names in it), one after another on one connection, signed with `pin`. `nodelay`:
/// set TCP_NODELAY on the client's socket, as browsers do.
UploadResult measure_upload(std::uint16_t port, const std::string& origin, pid_t daemon,
                            const std::string& pin, std::size_t data_bytes, int rounds,
                            bool nodelay);

}  // namespace cardbridge::bench
