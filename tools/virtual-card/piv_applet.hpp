#pragma once
// The PIV card application (SP 800-73-4 part 2 §3): one whole command in, one whole answer out.
// Transport, chaining and power live in Card; this class is the card's behaviour.

#include "cardbridge/protocol/apdu.hpp"
#include "pin_state.hpp"
#include "piv_objects.hpp"
#include "profile.hpp"

namespace cardbridge::vcard {

class PivApplet {
public:
    explicit PivApplet(Profile profile);

    /// Answers any command with a status word; throws only for faults of the card itself.
    protocol::ResponseApdu process(const protocol::CommandApdu& command);
    /// Power off or reset: what was verified is forgotten, the retry counters are not.
    void end_session() noexcept { pins_.end_session(); }

    const protocol::Bytes& atr() const noexcept { return profile_.atr; }

private:
    protocol::ResponseApdu select(const protocol::CommandApdu& command) const;
    protocol::ResponseApdu get_data(const protocol::CommandApdu& command) const;
    // piv_pin_commands.cpp
    protocol::ResponseApdu verify(const protocol::CommandApdu& command);
    protocol::ResponseApdu change_reference_data(const protocol::CommandApdu& command);
    protocol::ResponseApdu reset_retry_counter(const protocol::CommandApdu& command);
    // piv_general_authenticate.cpp
    protocol::ResponseApdu general_authenticate(const protocol::CommandApdu& command);
    bool pin_policy_satisfied(piv::Slot slot);

    Profile profile_;
    PivObjects objects_;
    PinState pins_;
};

}  // namespace cardbridge::vcard
