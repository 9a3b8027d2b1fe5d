#include <doctest/doctest.h>

#include "cardbridge/protocol/json.hpp"
#include "service/api.hpp"
#include "service/system_methods.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon;
using protocol::parse_json;

namespace {

// Runs one request through the API and returns the parsed answer (null for no answer).
protocol::Json call(const Api& api, std::string_view text) {
    protocol::Json out;
    api.handle(text, CallContext{"https://www.singlewindow.cn", {}, true, {}},
               [&](std::optional<std::string> r) { out = r ? parse_json(*r) : protocol::Json(); });
    return out;
}

}  // namespace

TEST_CASE("system.info lists version, API version and exactly the methods the table holds") {
    Api api;
    add_system_methods(api);
    api.add("x.echo", [](const CallContext& ctx, protocol::Json, Complete done) {
        done(protocol::Json{{"origin", *ctx.origin}});
    });
    auto r = call(api, R"({"jsonrpc":"2.0","id":7,"method":"system.info"})");
    CHECK(r["id"] == 7);
    CHECK(r["result"]["product"] == "cardbridge");
    CHECK(r["result"]["version"] == CARDBRIDGE_VERSION);
    CHECK(r["result"]["apiVersion"] == kApiVersion);
    CHECK(r["result"]["methods"] == protocol::Json::array({"system.info", "x.echo"}));
    CHECK(call(api, R"({"jsonrpc":"2.0","id":"a","method":"x.echo"})")["result"]["origin"] ==
          "https://www.singlewindow.cn");
}

TEST_CASE("api errors carry the request id and a stable reason") {
    Api api;
    add_system_methods(api);
    auto unknown = call(api, R"({"jsonrpc":"2.0","id":1,"method":"card.format"})");
    CHECK(unknown["id"] == 1);
    CHECK(unknown["error"]["data"]["reason"] == "METHOD_NOT_FOUND");
    auto bad_params =
        call(api, R"({"jsonrpc":"2.0","id":2,"method":"system.info","params":{"a":1}})");
    CHECK(bad_params["error"]["data"]["reason"] == "INVALID_PARAMS");
    auto garbage = call(api, "{nope");
    CHECK(garbage["id"].is_null());
    CHECK(garbage["error"]["data"]["reason"] == "PARSE_ERROR");
    // A notification gets no answer, not even for a method that does not exist.
    CHECK(call(api, R"({"jsonrpc":"2.0","method":"card.format"})").is_null());
}
