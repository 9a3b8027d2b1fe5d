#include "api/call.hpp"

#include <iostream>

#include "api/json_reply.hpp"
#include "db/database.hpp"
#include "security/cookies.hpp"

namespace cardbridge::portal {

const User& ApiCall::logged_in() const {
    if (!user_) throw PortalError(ErrorCode::NOT_LOGGED_IN);
    return *user_;
}

void ApiCall::replace_session(StartedSession started) {
    session_ = std::move(started.record);
    set_cookie_ = session_cookie(started.cookie_value);
}

void ApiCall::ok(const nlohmann::json& answer) {
    if (answered_) return;
    answered_ = true;
    auto response = json_response(200, answer);
    if (set_cookie_) response.headers.emplace_back("Set-Cookie", *set_cookie_);
    respond_(std::move(response));
}

void ApiCall::fail(const PortalError& error) {
    if (answered_) return;
    answered_ = true;
    auto response = error_response(error);
    if (set_cookie_) response.headers.emplace_back("Set-Cookie", *set_cookie_);
    respond_(std::move(response));
}

void ApiCall::fail_current() noexcept {
    try {
        throw;
    } catch (const PortalError& e) {
        fail(e);
    } catch (const std::exception& e) {
        // The log names the failure, never the request's data.
        std::cerr << "cardbridge-portal: internal error in " << request_.path() << ": " << e.what()
                  << '\n';
        fail(PortalError(ErrorCode::INTERNAL));
    } catch (...) {
        fail(PortalError(ErrorCode::INTERNAL));
    }
}

}  // namespace cardbridge::portal
