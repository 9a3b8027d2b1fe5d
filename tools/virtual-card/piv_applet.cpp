#include "piv_applet.hpp"

#include <algorithm>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::vcard {
namespace {

using protocol::ByteView;
using protocol::CommandApdu;
using protocol::ResponseApdu;
using protocol::Tag;
using protocol::TlvWriter;
namespace sw = protocol::sw;

constexpr std::uint8_t kSelectByName = 0x04;
constexpr std::uint8_t kFirstOrOnly = 0x00;
constexpr std::uint8_t kCurrentDf = 0x3F;  // GET DATA P1 P2 3F FF: the PIV data objects
constexpr std::uint8_t kAnyObject = 0xFF;

// The application property template as SELECT answers it: the PIX with version, then the
// coexistent tag allocation authority (NIST's RID).
protocol::Bytes property_template() {
    TlvWriter authority;
    authority.add(Tag(0x4F), ByteView(piv::kAid).first(piv::kShortestAidPrefix));
    TlvWriter content;
    content.add(Tag(0x4F), ByteView(piv::kAid).subspan(piv::kShortestAidPrefix))
        .add(Tag(0x79), authority);
    return std::move(TlvWriter().add(Tag(0x61), content)).bytes();
}

bool names_piv(ByteView aid) {
    return aid.size() >= piv::kShortestAidPrefix && aid.size() <= piv::kAid.size() &&
           std::equal(aid.begin(), aid.end(), piv::kAid.begin());
}

}  // namespace

PivApplet::PivApplet(Profile profile)
    : profile_(std::move(profile)),
      objects_(profile_),
      pins_(profile_.pin, profile_.pin_retries, profile_.puk, profile_.puk_retries) {}

ResponseApdu PivApplet::process(const CommandApdu& command) {
    switch (command.ins()) {
        case piv::ins::kSelect:
            return select(command);
        case piv::ins::kGetData:
            return get_data(command);
        case piv::ins::kVerify:
            return verify(command);
        case piv::ins::kChangeReferenceData:
            return change_reference_data(command);
        case piv::ins::kResetRetryCounter:
            return reset_retry_counter(command);
        case piv::ins::kGeneralAuthenticate:
            return general_authenticate(command);
        default:
            return ResponseApdu(sw::kInsNotSupported);
    }
}

// The PIV application is the only one and is selected from power-on (clients read Discovery
// before they select), so a SELECT of anything else finds nothing and changes nothing.
ResponseApdu PivApplet::select(const CommandApdu& command) const {
    if (command.p1() != kSelectByName || !names_piv(command.data()))
        return ResponseApdu(sw::kNotFound);
    if (command.p2() != kFirstOrOnly) return ResponseApdu(sw::kIncorrectP1P2);
    return {property_template(), sw::kOk};
}

ResponseApdu PivApplet::get_data(const CommandApdu& command) const {
    if (command.p1() != kCurrentDf || command.p2() != kAnyObject)
        return ResponseApdu(sw::kIncorrectP1P2);
    std::optional<Tag> wanted;
    try {
        wanted = protocol::parse_tag(protocol::expect_tlv(command.data(), piv::tag::kTagList));
    } catch (const Error&) {
        return ResponseApdu(sw::kWrongData);  // not one well-formed tag list with one tag
    }
    const DataObject* object = objects_.find(*wanted);
    if (!object) return ResponseApdu(sw::kNotFound);
    if (object->needs_pin && !pins_.pin_verified())
        return ResponseApdu(sw::kSecurityStatusNotSatisfied);
    return {object->encoding, sw::kOk};
}

}  // namespace cardbridge::vcard
