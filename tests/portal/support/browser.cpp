#include "support/browser.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/test_server.hpp"

namespace cardbridge::portal::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string Reply::header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

std::string Reply::code() const {
    if (!json.is_object() || !json.contains("error")) return {};
    return json["error"].value("code", "");
}

Browser::Browser(const TestServer& server) : port_(server.port()), origin_(server.origin()) {}

Reply Browser::open() {
    auto reply = get("/api/session");
    if (reply.json.is_object()) csrf_ = reply.json.value("csrf", "");
    return reply;
}

Reply Browser::get(const std::string& target) {
    return send("GET", target, nullptr, {}, true);
}

Reply Browser::head(const std::string& target) {
    return send("HEAD", target, nullptr, {}, true);
}

Reply Browser::get_with_header(const std::string& target, const std::string& name,
                               const std::string& value) {
    return send("GET", target, nullptr, {{name, value}}, true);
}

Reply Browser::post(const std::string& target, const nlohmann::json& body,
                    const PostOptions& options) {
    return post_text(target, body.dump(), options);
}

Reply Browser::post_text(const std::string& target, const std::string& body,
                         const PostOptions& options) {
    std::vector<std::pair<std::string, std::string>> headers{
        {"Content-Type", options.content_type}};
    const auto origin = options.origin.value_or(origin_);
    if (!origin.empty()) headers.emplace_back("Origin", origin);
    const auto csrf = options.csrf.value_or(csrf_);
    if (!csrf.empty()) headers.emplace_back("X-CSRF-Token", csrf);
    return send("POST", target, &body, headers, options.send_cookie);
}

Reply Browser::send(const std::string& method, const std::string& target, const std::string* body,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    bool send_cookie) {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port_});
    http::request<http::string_body> request(http::string_to_verb(method), target, 11);
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    if (send_cookie && !cookie_.empty()) request.set(http::field::cookie, "cbp_session=" + cookie_);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (body) request.body() = *body;
    request.prepare_payload();
    http::write(socket, request);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    if (method == "HEAD") parser.skip(true);
    http::read(socket, buffer, parser);
    const auto& response = parser.get();

    Reply reply;
    reply.status = response.result_int();
    for (const auto& field : response) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[name] = std::string(field.value());
    }
    reply.body = response.body();
    reply.json = nlohmann::json::parse(reply.body, nullptr, false);
    if (reply.json.is_discarded()) reply.json = nullptr;
    // The jar keeps what the server sets, as a browser would.
    const auto set_cookie = reply.header("set-cookie");
    const std::string prefix = "cbp_session=";
    if (set_cookie.starts_with(prefix))
        cookie_ = set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    return reply;
}

}  // namespace cardbridge::portal::test
