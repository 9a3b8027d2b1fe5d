#pragma once
// How soft-skf fails: inside, by throwing SarError (or StoreError from the store); at the C
// boundary, by returning a SAR code. No exception may cross an extern "C" function, so every
// export runs its body through guarded().

#include <new>

#include <openssl/err.h>

#include "skf_abi.hpp"
#include "store_error.hpp"

namespace cardbridge::softskf {

using skf::ULONG;

class SarError {
public:
    explicit SarError(ULONG code) noexcept : code_(code) {}
    ULONG code() const noexcept { return code_; }

private:
    ULONG code_;
};

/// Runs `body` (returning a SAR code) and maps whatever it throws to a SAR code. The host
/// shares this thread's OpenSSL error queue, so the errors our calls queue are dropped here.
template <typename Body>
ULONG guarded(Body&& body) noexcept {
    ERR_set_mark();
    ULONG code = skf::SAR_FAIL;
    try {
        code = body();
    } catch (const SarError& error) {
        code = error.code();
    } catch (const StoreError&) {
        code = skf::SAR_FILEERR;  // a store file that cannot be read, parsed or written
    } catch (const std::bad_alloc&) {
        code = skf::SAR_MEMORYERR;
    } catch (...) {
        code = skf::SAR_FAIL;
    }
    ERR_pop_to_mark();
    return code;
}

}  // namespace cardbridge::softskf
