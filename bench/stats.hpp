#pragma once
// Latency samples and the percentiles the bench reports.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace cardbridge::bench {

struct Percentiles {
    std::size_t count = 0;
    double p50 = 0;
    double p99 = 0;
};

/// Nearest-rank percentiles (no interpolation: every value shown was measured).
inline Percentiles percentiles(std::vector<double> samples) {
    Percentiles out{samples.size()};
    if (samples.empty()) return out;
    std::sort(samples.begin(), samples.end());
    const auto rank = [&](double p) {
        const auto r = static_cast<std::size_t>(std::ceil(p * static_cast<double>(samples.size())));
        return samples[std::max<std::size_t>(r, 1) - 1];
    };
    out.p50 = rank(0.50);
    out.p99 = rank(0.99);
    return out;
}

}  // namespace cardbridge::bench
