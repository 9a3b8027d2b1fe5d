#pragma once
// Which slots of a module hold a token the daemon can use: present (CKF_TOKEN_PRESENT) and
// initialized (CKF_TOKEN_INITIALIZED; a blank token has no keys and no certificates). A token
// is known by its id ("pkcs11:<model>:<serial>"), so a key swapped in a slot is seen as one
// going and another coming.

#include <p11-kit/pkcs11.h>

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "tokens/pkcs11/pkcs11_module.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {

/// At most this many slots of one module are looked at (SoftHSM, OpenSC: a few).
inline constexpr std::size_t kMaxSlots = 64;

/// The id of the usable token in `slot`; nothing when there is none or the slot went.
/// Error when the module fails otherwise.
std::optional<std::string> token_in_slot(const Module& module, CK_SLOT_ID slot);

/// Every slot with a usable token, and its token's id (C_GetSlotList(CK_TRUE)).
std::map<CK_SLOT_ID, std::string> tokens_present(const Module& module);

}  // namespace cardbridge::daemon::tokens::pkcs11
