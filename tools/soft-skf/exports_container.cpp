// §7.5 containers: listing, opening, and what anyone may read from them (type, certificates,
// public keys). Nothing here needs a PIN.

#include "abi_io.hpp"
#include "device_access.hpp"
#include "exports.hpp"
#include "key_material.hpp"
#include "module.hpp"
#include "signing.hpp"

using namespace cardbridge::skf;
using namespace cardbridge::softskf;

namespace {

const KeyPair* key_pair(const ContainerRecord& container, unsigned long sign_flag) {
    const auto& pair =
        static_cast<std::uint32_t>(sign_flag) != 0 ? container.sign : container.encrypt;
    return pair ? &*pair : nullptr;
}

ULONG container_type(const ContainerRecord& container) {
    const KeyPair* pair = container.sign      ? &*container.sign
                          : container.encrypt ? &*container.encrypt
                                              : nullptr;
    if (pair == nullptr) return CONTAINER_EMPTY;
    const auto key = load_private_key(pair->key_pem, "container key");
    return key.type == KeyType::SM2 ? CONTAINER_ECC : CONTAINER_RSA;
}

}  // namespace

ULONG SKF_EnumContainer(HAPPLICATION hApplication, LPSTR szContainerName, ULONG* pulSize) {
    return locked([&](Module& state) -> ULONG {
        if (pulSize == nullptr) return SAR_INVALIDPARAMERR;
        const auto loaded = load_application(state.handles, hApplication);
        std::vector<std::string> names;
        for (const auto& entry : loaded.record.containers) names.push_back(entry.first);
        return write_name_list(names, szContainerName, pulSize);
    });
}

ULONG SKF_OpenContainer(HAPPLICATION hApplication, LPSTR szContainerName, HCONTAINER* phContainer) {
    return locked([&](Module& state) -> ULONG {
        if (szContainerName == nullptr || phContainer == nullptr) return SAR_INVALIDPARAMERR;
        ApplicationObject& application = state.handles.application(hApplication);
        const auto name = bounded_string(szContainerName, kMaxNameBytes);
        if (!name) return SAR_NAMELENERR;
        const auto loaded = load_application(state.handles, hApplication);
        if (!loaded.record.containers.contains(std::string(*name))) return SAR_FILE_NOT_EXIST;
        *phContainer = state.handles.add(ContainerObject{&application, std::string(*name)});
        return SAR_OK;
    });
}

ULONG SKF_CloseContainer(HCONTAINER hContainer) {
    return locked([&](Module& state) -> ULONG {
        state.handles.container(hContainer);
        state.handles.close_container(hContainer);
        return SAR_OK;
    });
}

ULONG SKF_GetContainerType(HCONTAINER hContainer, ULONG* pulContainerType) {
    return locked([&](Module& state) -> ULONG {
        if (pulContainerType == nullptr) return SAR_INVALIDPARAMERR;
        *pulContainerType = container_type(load_container(state.handles, hContainer).record);
        return SAR_OK;
    });
}

ULONG SKF_ExportCertificate(HCONTAINER hContainer, unsigned long bSignFlag, BYTE* pbCert,
                            ULONG* pulCertLen) {
    return locked([&](Module& state) -> ULONG {
        if (pulCertLen == nullptr) return SAR_INVALIDPARAMERR;
        const auto loaded = load_container(state.handles, hContainer);
        const KeyPair* pair = key_pair(loaded.record, bSignFlag);
        if (pair == nullptr) return SAR_CERTNOTFOUNTERR;
        return write_bytes(pair->certificate, pbCert, pulCertLen);
    });
}

ULONG SKF_ExportPublicKey(HCONTAINER hContainer, unsigned long bSignFlag, BYTE* pbBlob,
                          ULONG* pulBlobLen) {
    return locked([&](Module& state) -> ULONG {
        if (pulBlobLen == nullptr) return SAR_INVALIDPARAMERR;
        const auto loaded = load_container(state.handles, hContainer);
        const KeyPair* pair = key_pair(loaded.record, bSignFlag);
        if (pair == nullptr) return SAR_KEYNOTFOUNTERR;
        const auto key = load_private_key(pair->key_pem, "container key");
        if (key.type == KeyType::SM2) {
            const ECCPUBLICKEYBLOB blob = ecc_public_blob(*key.key);
            return write_bytes({reinterpret_cast<const BYTE*>(&blob), sizeof blob}, pbBlob,
                               pulBlobLen);
        }
        const RSAPUBLICKEYBLOB blob = rsa_public_blob(*key.key);
        return write_bytes({reinterpret_cast<const BYTE*>(&blob), sizeof blob}, pbBlob, pulBlobLen);
    });
}
