#include "frontend.hpp"

#include <iostream>

#include "api/json_reply.hpp"
#include "security/cookies.hpp"

namespace cardbridge::portal {

namespace {

bool is_api(std::string_view path) {
    return path == "/api" || path.starts_with("/api/");
}

}  // namespace

void Frontend::handle(HttpRequest request, Respond respond) {
    if (request.oversized)
        return respond(error_response(PortalError(ErrorCode::PAYLOAD_TOO_LARGE)));
    std::optional<SessionRecord> session;
    std::optional<std::string> set_cookie;
    try {
        const auto now = clock_();
        if (const auto header = request.header("cookie"))
            if (const auto value = cookie_value(*header, kSessionCookie))
                session = sessions_.resume(*value, now);
        if (!session) {
            auto started = sessions_.start(now);
            session = std::move(started.record);
            set_cookie = session_cookie(started.cookie_value);
        }
    } catch (const std::exception& e) {
        std::cerr << "cardbridge-portal: session store failed: " << e.what() << '\n';
        return respond(error_response(PortalError(ErrorCode::INTERNAL)));
    }
    const bool session_was_sent = !set_cookie;
    if (is_api(request.path())) {
        auto call = std::make_shared<ApiCall>(std::move(request), std::move(*session),
                                              std::move(set_cookie), std::move(respond));
        return router_.handle(call, session_was_sent);
    }
    auto response = files_.serve(request);
    if (set_cookie) response.headers.emplace_back("Set-Cookie", *set_cookie);
    respond(std::move(response));
}

}  // namespace cardbridge::portal
