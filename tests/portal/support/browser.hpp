#pragma once
// What a page does over HTTP, without a browser: a cookie jar for the session cookie, the
// CSRF token from GET /api/session, the Origin header a browser adds to a POST.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cardbridge::portal::test {

class TestServer;

struct Reply {
    unsigned status = 0;
    /// Lower-case names; Set-Cookie's last value.
    std::map<std::string, std::string> headers;
    std::string body;
    /// The parsed body when it is JSON, null otherwise.
    nlohmann::json json;

    std::string header(const std::string& name) const;
    /// error.code of a failure answer ("" otherwise).
    std::string code() const;
};

/// How a POST may deviate from what a page sends.
struct PostOptions {
    std::optional<std::string> origin{};  // replaces the server's origin; "" sends none
    std::optional<std::string> csrf{};    // replaces the session's token; "" sends none
    bool send_cookie = true;
    std::string content_type = "application/json";
};

class Browser {
public:
    explicit Browser(const TestServer& server);
    Browser(std::uint16_t port, std::string origin) : port_(port), origin_(std::move(origin)) {}

    /// GET /api/session: takes the CSRF token (and a cookie, on the first visit).
    Reply open();
    Reply get(const std::string& target);
    Reply head(const std::string& target);
    Reply post(const std::string& target, const nlohmann::json& body,
               const PostOptions& options = {});
    /// A POST with a body of exactly this text.
    Reply post_text(const std::string& target, const std::string& body,
                    const PostOptions& options = {});
    /// Raw extra headers (for the header size cap).
    Reply get_with_header(const std::string& target, const std::string& name,
                          const std::string& value);

    const std::string& cookie() const { return cookie_; }
    const std::string& csrf() const { return csrf_; }
    void forget_cookie() { cookie_.clear(); }

private:
    Reply send(const std::string& method, const std::string& target, const std::string* body,
               const std::vector<std::pair<std::string, std::string>>& headers, bool send_cookie);

    std::uint16_t port_;
    std::string origin_;
    std::string cookie_;
    std::string csrf_;
};

}  // namespace cardbridge::portal::test
