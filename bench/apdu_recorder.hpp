#pragma once
// Records the raw APDUs this process sends through libpcsclite, grouped by the PC/SC
// transaction they were sent in. The APDU floor replays such a recording, so it is exactly
// what the daemon's own card code (PivToken and tokens::) sent for one login, whatever that
// is today, and not a list written down here that could drift from it.

#include <cstdint>
#include <vector>

#include "cardbridge/protocol/apdu.hpp"

namespace cardbridge::bench {

struct SentApdu {
    protocol::Bytes command;
    std::uint16_t sw;  // the status word the card answered with
};
/// One entry per transaction (SCardBeginTransaction), in order.
using ApduRecording = std::vector<std::vector<SentApdu>>;

/// While alive, every successful SCardBeginTransaction and SCardTransmit of this process is
/// appended to `recording`. One at a time, on one thread.
class RecordingScope {
public:
    explicit RecordingScope(ApduRecording& recording);
    ~RecordingScope();
    RecordingScope(const RecordingScope&) = delete;
    RecordingScope& operator=(const RecordingScope&) = delete;
};

}  // namespace cardbridge::bench
