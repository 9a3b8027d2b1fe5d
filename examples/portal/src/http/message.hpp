#pragma once
// Requests and responses as plain values, so that everything above the transport (router,
// static files, flows) compiles without Boost.Beast and can be tested without a socket.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cardbridge::portal {

struct HttpRequest {
    std::string method;  // "GET", "POST", …
    std::string target;  // as sent, query included
    /// Header names in lower case, in the order received.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// The header or the body was over its cap: only method and target are known.
    bool oversized = false;

    /// The path without the query string.
    std::string_view path() const;
    /// The first header of that (lower-case) name.
    std::optional<std::string_view> header(std::string_view name) const;
};

struct HttpResponse {
    unsigned status = 200;
    std::string content_type;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

/// Called exactly once per request, on the io thread.
using Respond = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(HttpRequest, Respond)>;

}  // namespace cardbridge::portal
