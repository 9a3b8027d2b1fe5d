// §7.6 signatures with a container's signing key. Both need the user PIN verified on the
// container's application handle ("需要用户权限", skf-notes.md §4.2).

#include "abi_io.hpp"
#include "device_access.hpp"
#include "exports.hpp"
#include "key_material.hpp"
#include "module.hpp"
#include "signing.hpp"

using namespace cardbridge::skf;
using namespace cardbridge::softskf;

namespace {

// The container's signing key of `type`, once the device is there and, when the key is to be
// used rather than measured, the user logged in.
PrivateKey signing_key(Handles& handles, HCONTAINER container, KeyType type, bool to_use) {
    const auto loaded = load_container(handles, container);
    if (to_use && !loaded.application.user_rights) throw SarError(SAR_USER_NOT_LOGGED_IN);
    if (!loaded.record.sign) throw SarError(SAR_KEYNOTFOUNTERR);
    auto key = load_private_key(loaded.record.sign->key_pem, "container signing key");
    if (key.type != type) throw SarError(SAR_KEYINFOTYPEERR);
    return key;
}

}  // namespace

ULONG SKF_ECCSignData(HCONTAINER hContainer, BYTE* pbDigest, ULONG ulDigestLen,
                      ECCSIGNATUREBLOB* pSignature) {
    return locked([&](Module& state) -> ULONG {
        if (pbDigest == nullptr || pSignature == nullptr) return SAR_INVALIDPARAMERR;
        state.handles.container(hContainer);
        // e = SM3(Z ‖ M), computed by the host; anything else is a caller's mistake.
        if (ulDigestLen != kSm2DigestBytes) return SAR_INDATALENERR;
        const auto key = signing_key(state.handles, hContainer, KeyType::SM2, true);
        const ECCSIGNATUREBLOB blob = sm2_sign(*key.key, {pbDigest, ulDigestLen});
        std::memcpy(pSignature, &blob, sizeof blob);
        return SAR_OK;
    });
}

ULONG SKF_RSASignData(HCONTAINER hContainer, BYTE* pbData, ULONG ulDataLen, BYTE* pbSignature,
                      ULONG* pulSignLen) {
    return locked([&](Module& state) -> ULONG {
        if (pbData == nullptr || pulSignLen == nullptr) return SAR_INVALIDPARAMERR;
        const bool size_query = pbSignature == nullptr;
        const auto key = signing_key(state.handles, hContainer, KeyType::RSA, !size_query);
        const std::size_t size = rsa_signature_size(*key.key);
        if (size_query || *pulSignLen < size) {
            *pulSignLen = static_cast<ULONG>(size);
            return size_query ? SAR_OK : SAR_BUFFER_TOO_SMALL;
        }
        const Bytes signature = rsa_sign(*key.key, {pbData, ulDataLen});
        return write_bytes(signature, pbSignature, pulSignLen);
    });
}
