#pragma once
// BLOCKTXT, the chunk framing of the legacy E-Port WebSocket protocol (legacy E-Port protocol
// §4): a frame whose text does not start with '{' is a 128-character header plus one chunk of
// a larger request. Everything here is pure; callers bring the GUIDs and the time.

#include "cardbridge/protocol/blocktxt_checkcode.hpp"    // IWYU pragma: export
#include "cardbridge/protocol/blocktxt_header.hpp"       // IWYU pragma: export
#include "cardbridge/protocol/blocktxt_reassembler.hpp"  // IWYU pragma: export
#include "cardbridge/protocol/blocktxt_split.hpp"        // IWYU pragma: export
