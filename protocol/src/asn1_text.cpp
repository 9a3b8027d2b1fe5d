#include "cardbridge/protocol/asn1_text.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/utf16.hpp"

namespace cardbridge::protocol {
namespace {

using Bytes = std::span<const unsigned char>;

// One iconv conversion descriptor from `from` to UTF-8 (glibc's iconv).
class ToUtf8 {
public:
    explicit ToUtf8(const char* from) : handle_(iconv_open("UTF-8", from)) {
        if (handle_ == reinterpret_cast<iconv_t>(-1))
            throw Error(Reason::INTERNAL, std::string("iconv cannot convert from ") + from);
    }
    ~ToUtf8() { iconv_close(handle_); }
    ToUtf8(const ToUtf8&) = delete;
    ToUtf8& operator=(const ToUtf8&) = delete;

    std::optional<std::string> convert(Bytes bytes) {
        // Two bytes of GBK or UTF-16 are at most three of UTF-8, four of GB18030 or UTF-32 at
        // most four: twice the input always suffices.
        std::string out(2 * bytes.size(), '\0');
        // iconv's input is char** for historical reasons; it only reads through it.
        char* in = const_cast<char*>(reinterpret_cast<const char*>(bytes.data()));
        std::size_t in_left = bytes.size();
        char* at = out.data();
        std::size_t out_left = out.size();
        if (iconv(handle_, &in, &in_left, &at, &out_left) == static_cast<std::size_t>(-1) ||
            iconv(handle_, nullptr, nullptr, &at, &out_left) == static_cast<std::size_t>(-1))
            return std::nullopt;  // EILSEQ or EINVAL: not text in this encoding
        out.resize(out.size() - out_left);
        return out;
    }

private:
    iconv_t handle_;
};

std::optional<std::string> strict_utf8(Bytes bytes) {
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    try {
        for (protocol::Utf8Reader reader(text); !reader.at_end();) reader.next();
    } catch (const Error&) {
        return std::nullopt;
    }
    return std::string(text);
}

bool ascii(Bytes bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](unsigned char c) { return c < 0x80; });
}

std::string hex(Bytes bytes) {
    constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0f];
    }
    return out;
}

Bytes content(const ASN1_STRING& value) {
    return {ASN1_STRING_get0_data(&value), static_cast<std::size_t>(ASN1_STRING_length(&value))};
}

}  // namespace

std::optional<std::string> asn1_text(int type, Bytes bytes) {
    switch (type) {
        case V_ASN1_UTF8STRING:
            return strict_utf8(bytes);
        case V_ASN1_BMPSTRING:
            return ToUtf8("UTF-16BE").convert(bytes);
        case V_ASN1_UNIVERSALSTRING:
            return ToUtf8("UTF-32BE").convert(bytes);
        case V_ASN1_PRINTABLESTRING:
        case V_ASN1_IA5STRING:
        case V_ASN1_T61STRING:
        case V_ASN1_VISIBLESTRING:
            if (ascii(bytes)) return std::string(bytes.begin(), bytes.end());
            // Legacy E-Port cards put GBK into these; GB18030 reads every GBK text alike.
            return ToUtf8("GB18030").convert(bytes);
        default:
            return std::nullopt;
    }
}

std::optional<std::string> name_attribute(const X509_NAME& name, int nid) {
    const int index = X509_NAME_get_index_by_NID(&name, nid, -1);
    if (index < 0) return std::nullopt;
    const ASN1_STRING& value = *X509_NAME_ENTRY_get_data(X509_NAME_get_entry(&name, index));
    return asn1_text(ASN1_STRING_type(&value), content(value));
}

std::string name_line(const X509_NAME& name) {
    std::string line;
    int previous_set = -1;
    for (int i = 0; i < X509_NAME_entry_count(&name); ++i) {
        const X509_NAME_ENTRY* entry = X509_NAME_get_entry(&name, i);
        const ASN1_OBJECT* object = X509_NAME_ENTRY_get_object(entry);
        const ASN1_STRING& value = *X509_NAME_ENTRY_get_data(entry);
        // Attributes of one multi-valued RDN are joined with " + ", RDNs with ", ".
        if (i > 0) line += X509_NAME_ENTRY_set(entry) == previous_set ? " + " : ", ";
        previous_set = X509_NAME_ENTRY_set(entry);
        char oid[80];
        const int nid = OBJ_obj2nid(object);
        if (nid != NID_undef)
            line += OBJ_nid2sn(nid);
        else if (OBJ_obj2txt(oid, sizeof oid, object, 1) > 0)
            line += oid;
        line += '=';
        line +=
            asn1_text(ASN1_STRING_type(&value), content(value)).value_or("#" + hex(content(value)));
    }
    return line;
}

}  // namespace cardbridge::protocol
