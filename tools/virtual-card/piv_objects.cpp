#include "piv_objects.hpp"

namespace cardbridge::vcard {
namespace {

using protocol::Bytes;
using protocol::ByteView;
using protocol::Tag;
using protocol::TlvWriter;

// The FASC-N of a card from no federal agency: agency 9999, system 9999, credential 999999,
// series 0, issue 1, person 0000000000, category 3 (commercial), organisation 0000, association
// 1, as 40 five-bit characters with parity, sentinels and LRC. Test cards carry it because it
// identifies nobody.
constexpr std::uint8_t kFascN[] = {0xD4, 0xE7, 0x39, 0xDA, 0x73, 0x9C, 0xED, 0x39, 0xCE,
                                   0x73, 0x9D, 0x83, 0x68, 0x58, 0x21, 0x08, 0x42, 0x10,
                                   0x84, 0x21, 0xC8, 0x42, 0x10, 0xC3, 0xEB};
// YYYYMMDD; the profile has no expiry, and a test card should not be the thing that expires.
constexpr std::string_view kChuidExpiry = "20991231";
// GSC-IS registered application provider ID, then manufacturer FF (none) and card type 02.
constexpr std::uint8_t kCardIdentifierPrefix[] = {0xA0, 0x00, 0x00, 0x01, 0x16, 0xFF, 0x02};
constexpr std::size_t kCardIdentifierSize = 21;
// PIN usage policy: only the PIV PIN satisfies the card's access rules, no global PIN.
constexpr std::uint8_t kPinUsagePolicy[] = {0x40, 0x00};

ByteView text(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

Bytes container(const TlvWriter& content) {
    return std::move(TlvWriter().add(piv::tag::kDataObject, content)).bytes();
}

Bytes discovery() {
    TlvWriter content;
    content.add(Tag(0x4F), piv::kAid).add(Tag(0x5F2F), kPinUsagePolicy);
    return std::move(TlvWriter().add(piv::tag::kDiscovery, content)).bytes();
}

Bytes chuid(const Profile& profile) {
    TlvWriter content;
    content.add(Tag(0x30), kFascN)
        .add(Tag(0x34), profile.guid)
        .add(Tag(0x35), text(kChuidExpiry))
        .add_empty(Tag(0x3E))  // issuer signature: none, as on cards made for tests
        .add_empty(piv::tag::kErrorDetectionCode);
    return container(content);
}

Bytes capability_container(const Profile& profile) {
    Bytes card_id(std::begin(kCardIdentifierPrefix), std::end(kCardIdentifierPrefix));
    card_id.insert(
        card_id.end(), profile.guid.begin(),
        profile.guid.begin() + static_cast<std::ptrdiff_t>(kCardIdentifierSize - card_id.size()));
    TlvWriter content;
    content.add(Tag(0xF0), card_id)
        .add_byte(Tag(0xF1), 0x21)  // container version
        .add_byte(Tag(0xF2), 0x21)  // grammar version
        .add_empty(Tag(0xF3))
        .add_byte(Tag(0xF4), 0x00)  // no PKCS#15
        .add_byte(Tag(0xF5), 0x10)  // data model: PIV
        .add_empty(Tag(0xF6))
        .add_empty(Tag(0xF7))
        .add_empty(Tag(0xFA))
        .add_empty(Tag(0xFB))
        .add_empty(Tag(0xFC))
        .add_empty(Tag(0xFD))
        .add_empty(piv::tag::kErrorDetectionCode);
    return container(content);
}

Bytes printed_information(const PrintedInformation& printed) {
    TlvWriter content;
    content.add(Tag(0x01), text(printed.name))
        .add(Tag(0x07), text(printed.organization))  // organisation affiliation, line 1
        .add_empty(piv::tag::kErrorDetectionCode);
    return container(content);
}

Bytes key_history() {
    TlvWriter content;
    content
        .add_byte(Tag(0xC1), 0)  // no retired keys with certificates on the card
        .add_byte(Tag(0xC2), 0)  // nor off it
        .add_empty(piv::tag::kErrorDetectionCode);
    return container(content);
}

Bytes certificate(const SlotKey& key) {
    TlvWriter content;
    content.add(Tag(0x70), key.certificate())
        .add_byte(Tag(0x71), 0x00)  // CertInfo: not compressed
        .add_empty(piv::tag::kErrorDetectionCode);
    return container(content);
}

Tag certificate_tag(piv::Slot slot) {
    switch (slot) {
        case piv::Slot::PIV_AUTHENTICATION:
            return piv::tag::kCertPivAuthentication;
        case piv::Slot::SIGNATURE:
            return piv::tag::kCertSignature;
        case piv::Slot::KEY_MANAGEMENT:
            return piv::tag::kCertKeyManagement;
        case piv::Slot::CARD_AUTHENTICATION:
            return piv::tag::kCertCardAuthentication;
    }
    return piv::tag::kCertPivAuthentication;
}

}  // namespace

PivObjects::PivObjects(const Profile& profile) {
    objects_[piv::tag::kDiscovery.value()] = {discovery(), false};
    objects_[piv::tag::kChuid.value()] = {chuid(profile), false};
    objects_[piv::tag::kCcc.value()] = {capability_container(profile), false};
    objects_[piv::tag::kKeyHistory.value()] = {key_history(), false};
    if (profile.printed)
        objects_[piv::tag::kPrintedInformation.value()] = {printed_information(*profile.printed),
                                                           true};
    for (const auto& [slot, key] : profile.slots)
        objects_[certificate_tag(slot).value()] = {certificate(key), false};
}

const DataObject* PivObjects::find(protocol::Tag tag) const {
    const auto it = objects_.find(tag.value());
    return it == objects_.end() ? nullptr : &it->second;
}

}  // namespace cardbridge::vcard
