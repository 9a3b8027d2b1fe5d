#pragma once
// What a PKCS#11 token shows before login: its identity and its X.509 certificates, each
// with the key it names (CKA_ID) and what that key is for.

#include <p11-kit/pkcs11.h>

#include <optional>

#include "cardbridge/protocol/apdu.hpp"
#include "tokens/pkcs11/pkcs11_module.hpp"
#include "tokens/token.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {

/// CKA_IDs longer than this are not keys we can name (real tokens use 1 to 20 bytes).
inline constexpr std::size_t kMaxIdBytes = 64;

TokenSnapshot read_snapshot(const Session& session, const CK_TOKEN_INFO& info);

/// The private key whose CKA_ID is `id`, if the session can see it.
std::optional<CK_OBJECT_HANDLE> find_private_key(const Session& session, protocol::ByteView id);

}  // namespace cardbridge::daemon::tokens::pkcs11
