#pragma once
// Every POST must prove it comes from our own pages (README.md): the session cookie, the
// session's token in X-CSRF-Token (a header no other site can make a browser send) and our
// origin in Origin.

#include <string_view>

#include "http/message.hpp"

namespace cardbridge::portal {

struct SessionRecord;

/// `session_was_sent`: the request carried the cookie of a live session (a session started by
/// this very request proves nothing).
bool csrf_ok(const HttpRequest& request, const SessionRecord& session, bool session_was_sent,
             std::string_view origin);

}  // namespace cardbridge::portal
