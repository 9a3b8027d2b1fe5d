#pragma once
// Reading what a token holds: its CK_TOKEN_INFO, the objects that match a template, and their
// attributes, each with a cap on how much is read. Module failures are Errors (pkcs11_error).

#include <p11-kit/pkcs11.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cardbridge/protocol/apdu.hpp"
#include "tokens/pkcs11/pkcs11_module.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {

CK_TOKEN_INFO token_info(const Module& module, CK_SLOT_ID slot);

/// A blank-padded CK_TOKEN_INFO / CK_SLOT_INFO field as text: trailing blanks and NULs
/// trimmed, bytes that are not UTF-8 or are control characters replaced by '?', so that a
/// module's label can always be shown and sent as JSON.
std::string fixed_text(std::span<const CK_UTF8CHAR> field);

/// "pkcs11:<model>:<serialNumber>": what identifies the token across insertions.
std::string token_id(const CK_TOKEN_INFO& info);

/// The first `max` objects that match `attributes`, in the module's order.
std::vector<CK_OBJECT_HANDLE> find_objects(const Session& session,
                                           std::span<CK_ATTRIBUTE> attributes, std::size_t max);

/// An attribute's value, or nothing when the object has none, hides it (sensitive) or it is
/// longer than `max` bytes.
std::optional<protocol::Bytes> attribute_bytes(const Session& session, CK_OBJECT_HANDLE object,
                                               CK_ATTRIBUTE_TYPE type, std::size_t max);
std::optional<CK_ULONG> attribute_ulong(const Session& session, CK_OBJECT_HANDLE object,
                                        CK_ATTRIBUTE_TYPE type);
std::optional<bool> attribute_bool(const Session& session, CK_OBJECT_HANDLE object,
                                   CK_ATTRIBUTE_TYPE type);

/// The session is in a user state: C_Login(CKU_USER) holds for it.
bool logged_in(const Session& session);

}  // namespace cardbridge::daemon::tokens::pkcs11
