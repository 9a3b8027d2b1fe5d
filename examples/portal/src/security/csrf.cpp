#include "security/csrf.hpp"

#include "security/random.hpp"
#include "store/sessions.hpp"

namespace cardbridge::portal {

bool csrf_ok(const HttpRequest& request, const SessionRecord& session, bool session_was_sent,
             std::string_view origin) {
    if (!session_was_sent) return false;
    const auto sent_origin = request.header("origin");
    if (!sent_origin || *sent_origin != origin) return false;
    const auto token = request.header("x-csrf-token");
    return token && same_secret(*token, session.csrf);
}

}  // namespace cardbridge::portal
