#pragma once
// One API request on its way through the router and a flow: what came in, whose session it
// is, and the single answer it gets. Flows that wait (password hashing) hold it by shared_ptr
// and come back through later(), so an exception anywhere still becomes the error answer.

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "http/message.hpp"
#include "store/sessions.hpp"
#include "store/users.hpp"

namespace cardbridge::portal {

class ApiCall : public std::enable_shared_from_this<ApiCall> {
public:
    ApiCall(HttpRequest request, SessionRecord session, std::optional<std::string> set_cookie,
            Respond respond)
        : request_(std::move(request)),
          session_(std::move(session)),
          set_cookie_(std::move(set_cookie)),
          respond_(std::move(respond)) {}

    const HttpRequest& request() const noexcept { return request_; }
    const nlohmann::json& body() const noexcept { return body_; }
    void set_body(nlohmann::json body) { body_ = std::move(body); }

    const SessionRecord& session() const noexcept { return session_; }
    /// The logged-in user, loaded by the router.
    const std::optional<User>& user() const noexcept { return user_; }
    void set_user(std::optional<User> user) { user_ = std::move(user); }
    /// For flows whose routes require a login.
    const User& logged_in() const;

    /// Logging in or out: the answer carries the new cookie.
    void replace_session(StartedSession started);

    void ok(const nlohmann::json& answer);
    void fail(const PortalError& error);

    /// Runs `step`, answering with the error it throws (if it throws).
    template <typename Step>
    void guard(Step&& step) noexcept {
        try {
            step();
        } catch (...) {
            fail_current();
        }
    }

    /// A completion handler that runs `step(args…)` under guard(), keeping the call alive.
    template <typename Step>
    auto later(Step step) {
        return [self = shared_from_this(), step = std::move(step)](auto&&... args) mutable {
            self->guard([&] { step(std::forward<decltype(args)>(args)...); });
        };
    }

private:
    void fail_current() noexcept;

    HttpRequest request_;
    nlohmann::json body_ = nlohmann::json::object();
    SessionRecord session_;
    std::optional<User> user_;
    std::optional<std::string> set_cookie_;
    Respond respond_;
    bool answered_ = false;
};

using CallPtr = std::shared_ptr<ApiCall>;

}  // namespace cardbridge::portal
