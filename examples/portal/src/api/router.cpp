#include "api/router.hpp"

#include <algorithm>
#include <cctype>

#include "cardbridge/protocol/json.hpp"
#include "security/csrf.hpp"

namespace cardbridge::portal {

namespace {

// Media types compare without regard to case; parameters (charset) do not matter here.
bool is_json(std::string_view content_type) {
    auto type = content_type.substr(0, content_type.find(';'));
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    constexpr std::string_view kJson = "application/json";
    return type.size() == kJson.size() &&
           std::equal(type.begin(), type.end(), kJson.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}

nlohmann::json parse_body(const HttpRequest& request) {
    const auto malformed = [] {
        return PortalError(ErrorCode::VALIDATION, "", "请求内容须为JSON对象");
    };
    if (!is_json(request.header("content-type").value_or(""))) throw malformed();
    try {
        auto body = protocol::parse_json(request.body, {.max_bytes = 64 * 1024, .max_depth = 8});
        if (!body.is_object()) throw malformed();
        return body;
    } catch (const Error&) {
        throw malformed();
    }
}

}  // namespace

void Router::add(Route route) {
    routes_.push_back(std::move(route));
}

void Router::handle(const CallPtr& call, bool session_was_sent) {
    call->guard([&] {
        const auto& request = call->request();
        const Route* route = nullptr;
        for (const auto& candidate : routes_)
            if (candidate.path == request.path() && candidate.method == request.method)
                route = &candidate;
        if (!route) throw PortalError(ErrorCode::NOT_FOUND);
        if (request.method == "POST" &&
            !csrf_ok(request, call->session(), session_was_sent, origin_))
            throw PortalError(ErrorCode::CSRF);
        if (call->session().user_id) call->set_user(users_.find(*call->session().user_id));
        check_access(*route, *call);
        if (request.method == "POST") call->set_body(parse_body(request));
        route->handler(call);
    });
}

void Router::check_access(const Route& route, ApiCall& call) {
    const auto& user = call.user();
    if (route.access != Access::ANYONE && !user) throw PortalError(ErrorCode::NOT_LOGGED_IN);
    if (user && user->must_change_password && !call.session().via_card &&
        !route.before_password_change)
        throw PortalError(ErrorCode::PASSWORD_CHANGE_REQUIRED);
    if (route.access == Access::ADMIN && user->role != Role::ADMIN)
        throw PortalError(ErrorCode::ADMIN_ONLY);
    if (route.access == Access::OPERATOR && user->role != Role::OPERATOR)
        throw PortalError(ErrorCode::ADMIN_NO_BUSINESS);
}

}  // namespace cardbridge::portal
