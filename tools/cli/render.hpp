#pragma once
// The daemon's answers as text for a person, in their language. Pure, so tests feed them the
// JSON shapes of docs/API.md. Members the card does not carry (null) are left out.

#include <string>

#include "cardbridge/protocol/json.hpp"
#include "cardbridge/protocol/jsonrpc.hpp"
#include "messages.hpp"

namespace cardbridge::cli {

/// tokens.list: one line per reader.
std::string render_readers(const protocol::Json& result, Language language);
/// An events.subscribe notification: one line.
std::string render_event(const protocol::jsonrpc::Notification& event, Language language);
/// token.info: "Label: value" lines, then the certificates.
std::string render_info(const protocol::Json& info, Language language);

}  // namespace cardbridge::cli
