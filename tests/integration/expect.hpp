#pragma once
// The integration programs' assertion: a failed expectation ends the program with its message
// (main prints it and exits non-zero), so ctest shows what the user would have seen go wrong.

#include <chrono>
#include <string>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::testing {

inline void expect(bool condition, const std::string& what) {
    if (!condition) throw Error(Reason::INTERNAL, what);
}

/// Milliseconds since `start`, for the timings the programs print.
inline long long ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
}

}  // namespace cardbridge::testing
