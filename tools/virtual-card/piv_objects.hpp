#pragma once
// The data objects GET DATA returns (SP 800-73-4 part 1 §3, part 2 §3.1.2), encoded once when
// the card is made: they never change while it runs.

#include <map>

#include "cardbridge/protocol/tlv.hpp"
#include "profile.hpp"

namespace cardbridge::vcard {

struct DataObject {
    protocol::Bytes encoding;  // what GET DATA answers, 53 container included where it has one
    bool needs_pin;            // the access rule: PIN first (Printed Information) or always
};

class PivObjects {
public:
    explicit PivObjects(const Profile& profile);

    /// The object GET DATA names with `tag`, or nullptr when this card does not hold it.
    const DataObject* find(protocol::Tag tag) const;

private:
    std::map<std::uint32_t, DataObject> objects_;
};

}  // namespace cardbridge::vcard
