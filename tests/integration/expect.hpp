#pragma once
// The integration programs' assertion: a failed expectation ends the program with its message
// (main prints it and exits non-zero), so ctest shows what the user would have seen go wrong.

#include <string>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::testing {

inline void expect(bool condition, const std::string& what) {
    if (!condition) throw Error(Reason::INTERNAL, what);
}

}  // namespace cardbridge::testing
