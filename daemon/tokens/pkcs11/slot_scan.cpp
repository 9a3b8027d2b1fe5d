#include "tokens/pkcs11/slot_scan.hpp"

#include <algorithm>
#include <vector>

#include "tokens/pkcs11/pkcs11_error.hpp"
#include "tokens/pkcs11/pkcs11_objects.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {
namespace {

// Answers that mean "no token there (now)", not a failing module.
bool no_token(CK_RV rv) {
    return rv == CKR_SLOT_ID_INVALID || rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_DEVICE_REMOVED ||
           rv == CKR_TOKEN_NOT_RECOGNIZED;
}

}  // namespace

std::optional<std::string> token_in_slot(const Module& module, CK_SLOT_ID slot) {
    CK_SLOT_INFO slot_info{};
    CK_RV rv =
        module.call([&](const CK_FUNCTION_LIST& f) { return f.C_GetSlotInfo(slot, &slot_info); });
    if (no_token(rv)) return std::nullopt;
    check("C_GetSlotInfo", rv);
    if ((slot_info.flags & CKF_TOKEN_PRESENT) == 0) return std::nullopt;
    CK_TOKEN_INFO info{};
    rv = module.call([&](const CK_FUNCTION_LIST& f) { return f.C_GetTokenInfo(slot, &info); });
    if (no_token(rv)) return std::nullopt;
    check("C_GetTokenInfo", rv);
    if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) return std::nullopt;
    return token_id(info);
}

std::map<CK_SLOT_ID, std::string> tokens_present(const Module& module) {
    // Asking for the count first is what makes modules look for new readers and keys: from
    // PKCS#11 v2.20 the slot list may change only on a call without a buffer.
    CK_ULONG count = 0;
    check("C_GetSlotList", module.call([&](const CK_FUNCTION_LIST& f) {
        return f.C_GetSlotList(CK_TRUE, nullptr, &count);
    }));
    // Only the first kMaxSlots are looked at; a few more are room for a key plugged meanwhile
    // (CKR_BUFFER_TOO_SMALL then asks again, once).
    std::vector<CK_SLOT_ID> slots;
    CK_RV rv = CKR_BUFFER_TOO_SMALL;
    for (int attempt = 0; attempt < 2 && rv == CKR_BUFFER_TOO_SMALL; ++attempt) {
        slots.resize(std::clamp<CK_ULONG>(count + 4, 1, kMaxSlots * 16));
        count = slots.size();
        rv = module.call([&](const CK_FUNCTION_LIST& f) {
            return f.C_GetSlotList(CK_TRUE, slots.data(), &count);
        });
    }
    check("C_GetSlotList", rv);
    slots.resize(std::min<std::size_t>({count, slots.size(), kMaxSlots}));
    std::map<CK_SLOT_ID, std::string> present;
    for (const CK_SLOT_ID slot : slots)
        if (auto id = token_in_slot(module, slot)) present.emplace(slot, std::move(*id));
    return present;
}

}  // namespace cardbridge::daemon::tokens::pkcs11
