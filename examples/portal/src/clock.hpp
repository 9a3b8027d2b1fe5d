#pragma once
// The time every rule is judged at, injectable so tests can let a challenge or a lock run out.

#include <ctime>
#include <functional>

namespace cardbridge::portal {

using Clock = std::function<std::time_t()>;

inline Clock system_clock() {
    return [] { return std::time(nullptr); };
}

}  // namespace cardbridge::portal
