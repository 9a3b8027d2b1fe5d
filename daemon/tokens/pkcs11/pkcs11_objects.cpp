#include "tokens/pkcs11/pkcs11_objects.hpp"

#include <algorithm>
#include <cstring>

#include "cardbridge/protocol/utf16.hpp"
#include "tokens/pkcs11/pkcs11_error.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {
namespace {

// Ends the search however the reading between ends: a module allows one search per session.
class FindScope {
public:
    explicit FindScope(const Session& session) noexcept : session_(session) {}
    ~FindScope() {
        session_.call(
            [](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) { return f.C_FindObjectsFinal(h); });
    }
    FindScope(const FindScope&) = delete;
    FindScope& operator=(const FindScope&) = delete;

private:
    const Session& session_;
};

bool is_control(char32_t c) {
    return c < 0x20 || c == 0x7F;
}

// CKR_ATTRIBUTE_SENSITIVE / _TYPE_INVALID are answers ("no such value to read"), not failures.
bool is_absent(CK_RV rv) {
    return rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID;
}

}  // namespace

CK_TOKEN_INFO token_info(const Module& module, CK_SLOT_ID slot) {
    CK_TOKEN_INFO info{};
    check("C_GetTokenInfo",
          module.call([&](const CK_FUNCTION_LIST& f) { return f.C_GetTokenInfo(slot, &info); }));
    return info;
}

std::string fixed_text(std::span<const CK_UTF8CHAR> field) {
    std::size_t size = field.size();
    while (size > 0 && (field[size - 1] == ' ' || field[size - 1] == '\0')) --size;
    const std::string_view raw(reinterpret_cast<const char*>(field.data()), size);
    std::string text;
    std::size_t offset = 0;
    while (offset < raw.size()) {
        protocol::Utf8Reader reader(raw, offset);
        try {
            const char32_t c = reader.next();
            if (is_control(c))
                text += '?';
            else
                text.append(raw.substr(offset, reader.offset() - offset));
            offset = reader.offset();
        } catch (const Error&) {
            text += '?';
            ++offset;
        }
    }
    return text;
}

std::string token_id(const CK_TOKEN_INFO& info) {
    return "pkcs11:" + fixed_text(info.model) + ":" + fixed_text(info.serialNumber);
}

std::vector<CK_OBJECT_HANDLE> find_objects(const Session& session,
                                           std::span<CK_ATTRIBUTE> attributes, std::size_t max) {
    check("C_FindObjectsInit", session.call([&](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) {
        return f.C_FindObjectsInit(h, attributes.data(), attributes.size());
    }));
    const FindScope scope(session);
    std::vector<CK_OBJECT_HANDLE> objects(max);
    CK_ULONG found = 0;
    check("C_FindObjects", session.call([&](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) {
        return f.C_FindObjects(h, objects.data(), objects.size(), &found);
    }));
    objects.resize(std::min<std::size_t>(found, max));
    return objects;
}

std::optional<protocol::Bytes> attribute_bytes(const Session& session, CK_OBJECT_HANDLE object,
                                               CK_ATTRIBUTE_TYPE type, std::size_t max) {
    CK_ATTRIBUTE attribute{type, nullptr, 0};
    const auto get = [&](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) {
        return f.C_GetAttributeValue(h, object, &attribute, 1);
    };
    CK_RV rv = session.call(get);
    if (is_absent(rv)) return std::nullopt;
    check("C_GetAttributeValue", rv);
    if (attribute.ulValueLen == CK_UNAVAILABLE_INFORMATION || attribute.ulValueLen > max)
        return std::nullopt;
    protocol::Bytes value(attribute.ulValueLen);
    attribute.pValue = value.data();
    rv = session.call(get);
    if (is_absent(rv)) return std::nullopt;
    check("C_GetAttributeValue", rv);
    value.resize(std::min<std::size_t>(attribute.ulValueLen, value.size()));
    return value;
}

std::optional<CK_ULONG> attribute_ulong(const Session& session, CK_OBJECT_HANDLE object,
                                        CK_ATTRIBUTE_TYPE type) {
    const auto bytes = attribute_bytes(session, object, type, sizeof(CK_ULONG));
    if (!bytes || bytes->size() != sizeof(CK_ULONG)) return std::nullopt;
    CK_ULONG value = 0;
    std::memcpy(&value, bytes->data(), sizeof value);
    return value;
}

std::optional<bool> attribute_bool(const Session& session, CK_OBJECT_HANDLE object,
                                   CK_ATTRIBUTE_TYPE type) {
    const auto bytes = attribute_bytes(session, object, type, sizeof(CK_BBOOL));
    if (!bytes || bytes->size() != sizeof(CK_BBOOL)) return std::nullopt;
    return (*bytes)[0] != CK_FALSE;
}

bool logged_in(const Session& session) {
    CK_SESSION_INFO info{};
    check("C_GetSessionInfo", session.call([&](const CK_FUNCTION_LIST& f, CK_SESSION_HANDLE h) {
        return f.C_GetSessionInfo(h, &info);
    }));
    return info.state == CKS_RO_USER_FUNCTIONS || info.state == CKS_RW_USER_FUNCTIONS;
}

}  // namespace cardbridge::daemon::tokens::pkcs11
