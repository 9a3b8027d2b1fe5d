#pragma once

#include <optional>

namespace cardbridge::daemon::tokens {

/// What a token tells about its user PIN. PIV cards report retries only while the PIN is not
/// verified; PKCS#11 only says "low" or "final try", so the count is often unknown (empty).
struct PinState {
    bool verified = false;
    bool blocked = false;
    std::optional<int> retries_left;
};

}  // namespace cardbridge::daemon::tokens
