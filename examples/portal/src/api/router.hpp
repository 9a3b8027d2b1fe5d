#pragma once
// The API's routes and the checks every one of them gets before its flow runs, in this order:
// the route exists, a POST passes the CSRF check, the login and forced password change rules
// (README.md, "Rules"), the role, then a JSON object body.

#include <functional>
#include <string>
#include <vector>

#include "api/call.hpp"

namespace cardbridge::portal {

class UserStore;

enum class Access {
    ANYONE,
    LOGGED_IN,
    ADMIN,     // 同步更新, 我的操作员
    OPERATOR,  // 业务办理
};

struct Route {
    std::string method;  // "GET" or "POST"
    std::string path;
    Access access = Access::ANYONE;
    /// /api/session, /api/password and /api/logout still answer a user who must change the
    /// initial password.
    bool before_password_change = false;
    std::function<void(const CallPtr&)> handler;
};

class Router {
public:
    Router(UserStore& users, std::string origin) : users_(users), origin_(std::move(origin)) {}

    void add(Route route);
    /// `session_was_sent`: the request's cookie named a live session.
    void handle(const CallPtr& call, bool session_was_sent);

private:
    void check_access(const Route& route, ApiCall& call);

    UserStore& users_;
    std::string origin_;
    std::vector<Route> routes_;
};

}  // namespace cardbridge::portal
