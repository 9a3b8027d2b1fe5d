// apdu_latency: 1000 SELECTs of the PIV application, through the private pcscd and vpcd, to the
// harness's first card; prints the round trip's median, p90 and p99. The target (median under
// 0.3 ms) is read from the output, not asserted: the test fails only when the card cannot be
// talked to.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <vector>

#include "cardbridge/protocol/error.hpp"
#include "pcsc_session.hpp"
#include "test_apdus.hpp"

namespace {

using namespace cardbridge::testing;
using Clock = std::chrono::steady_clock;

constexpr int kRounds = 1000;

double percentile(const std::vector<double>& sorted, double fraction) {
    return sorted[static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1))];
}

}  // namespace

int main() {
    try {
        const PcscContext context;
        PcscCard card(context, required_env("CARDBRIDGE_VCARD1_READER"));
        std::vector<double> round_trips_ms;
        round_trips_ms.reserve(kRounds);
        std::vector<std::uint8_t> response;
        for (int i = 0; i < kRounds; ++i) {
            const auto start = Clock::now();
            response = card.transmit(kSelectPiv);
            const std::chrono::duration<double, std::milli> took = Clock::now() - start;
            if (response.size() < 2) {
                std::cerr << "apdu_latency: answer " << i << " has no status word\n";
                return 1;
            }
            round_trips_ms.push_back(took.count());
        }
        std::sort(round_trips_ms.begin(), round_trips_ms.end());
        std::printf(
            "apdu_latency: %d SELECTs through pcscd, status %02X%02X: median %.3f ms, p90 %.3f ms, "
            "p99 %.3f ms, max %.3f ms (target: median < 0.3 ms)\n",
            kRounds, response[response.size() - 2], response.back(),
            percentile(round_trips_ms, 0.5), percentile(round_trips_ms, 0.9),
            percentile(round_trips_ms, 0.99), round_trips_ms.back());
        return 0;
    } catch (const cardbridge::Error& error) {
        std::cerr << "apdu_latency: " << error.what() << '\n';
        return 1;
    }
}
