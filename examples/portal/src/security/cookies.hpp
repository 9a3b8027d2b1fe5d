#pragma once
// The session cookie (README.md): cbp_session=<43 chars>; Path=/; HttpOnly; Secure;
// SameSite=Strict. Strict keeps it off every cross-site request, the first CSRF defence.

#include <optional>
#include <string>
#include <string_view>

namespace cardbridge::portal {

inline constexpr std::string_view kSessionCookie = "cbp_session";

/// The value of the first cookie called `name` in a Cookie header.
std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name);

/// The Set-Cookie value that gives the browser session `value`.
std::string session_cookie(std::string_view value);

}  // namespace cardbridge::portal
