#pragma once
// tokens.list from many WebSocket connections at once. Each connection has one request
// outstanding at a time: it sends the next as soon as the answer is in (closed loop), or, when
// paced, on its own schedule so that all of them together send `paced_rate` requests a second.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "stats.hpp"

namespace cardbridge::bench {

struct LoadLevel {
    std::size_t connections = 1;
    double paced_rate = 0;  // requests per second over all connections; 0: back to back
};

struct LoadResult {
    std::size_t connected = 0;   // handshakes that succeeded
    std::uint64_t failures = 0;  // connections lost or answers that were not a result
    double requests_per_second = 0;
    Percentiles latency_ms;
    double client_cpu_seconds = 0;  // this process, for telling whose core ran out
};

/// Connects every connection first, runs `warmup` unmeasured, then measures for `duration`;
/// closes every connection before it returns. `threads` run the client's io_context.
LoadResult run_load(std::uint16_t port, const std::string& origin, const LoadLevel& level,
                    std::chrono::milliseconds warmup, std::chrono::milliseconds duration,
                    int threads);

}  // namespace cardbridge::bench
