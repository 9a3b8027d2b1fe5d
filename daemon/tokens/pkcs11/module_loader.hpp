#pragma once
// Which PKCS#11 modules the daemon uses: those the config lists by path, and optionally those
// p11-kit's registry (/usr/share/p11-kit/modules, ~/.config/pkcs11/modules) enables for this
// program. Each is loaded once, through p11-kit, in p11-kit's managed mode.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokens/pkcs11/pkcs11_module.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {

/// At most this many modules, and paths this long: the config is input like any other.
inline constexpr std::size_t kMaxModules = 32;
inline constexpr std::size_t kMaxPathBytes = 4096;

/// `paths` in order, then (with `use_registry`) the registry's modules that are not one of
/// them, each loaded and initialized. A module that fails to load or initialize is logged
/// and skipped. From the registry, trust-policy modules (certificate stores, no keys) and
/// OpenSC's module are skipped (registry_skips).
std::vector<std::shared_ptr<Module>> load_modules(const std::vector<std::string>& paths,
                                                  bool use_registry);

/// Why a registry module with this file name and trust-policy option is not used, or empty.
/// OpenSC's module drives the PC/SC cards the daemon already serves directly: through it the
/// same card would appear twice and two drivers would contend for it. A user who wants it
/// anyway (for a card only OpenSC knows) lists it by path.
std::string_view registry_skips(std::string_view file_name, bool trust_policy) noexcept;

}  // namespace cardbridge::daemon::tokens::pkcs11
