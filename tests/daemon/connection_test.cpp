#include <doctest/doctest.h>

#include <chrono>
#include <deque>

#include "cardbridge/protocol/blocktxt.hpp"
#include "cardbridge/protocol/json.hpp"
#include "service/connection.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon;
using protocol::Json;
using protocol::parse_json;

namespace {

constexpr std::string_view kGuid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

class RecordingPeer : public Peer {
public:
    const std::optional<std::string>& origin() const noexcept override { return origin_; }
    void send(std::string text) override { sent.push_back(parse_json(text)); }
    std::deque<Json> sent;

private:
    std::optional<std::string> origin_ = "https://www.singlewindow.cn";
};

// One connection with an echo method in each API; answers are parsed as they come.
struct Fixture {
    boost::asio::io_context io;
    Api api;
    legacy::LegacyApi legacy;
    bool allowed = true;
    ConnectionServices services{io, api, legacy,
                                [this](const std::shared_ptr<Peer>& p) {
                                    return CallContext{p->origin(), {}, allowed, p};
                                },
                                {}};
    std::shared_ptr<RecordingPeer> peer = std::make_shared<RecordingPeer>();
    std::shared_ptr<Connection> connection;
    std::deque<Json> replies;

    explicit Fixture(std::chrono::milliseconds upload_timeout = std::chrono::seconds(60)) {
        services.blocktxt.group_timeout = upload_timeout;
        api.add("x.echo", [](const CallContext&, Json params, Complete done) { done(params); });
        legacy.add_security("SpcEcho", [](const CallContext&, Json args, Complete done) {
            done(Json::array({args.value("inData", std::string()).size() == 0
                                  ? std::string("empty")
                                  : std::to_string(args["inData"].get_ref<const std::string&>().size())}));
        });
        connection = std::make_shared<Connection>(services, peer);
    }
    void send(std::string text) {
        connection->on_message(std::move(text), [this](std::optional<std::string> r) {
            replies.push_back(r ? parse_json(*r) : Json());
        });
    }
    Json reply() {
        REQUIRE(!replies.empty());
        auto r = std::move(replies.front());
        replies.pop_front();
        return r;
    }
};

std::string legacy_call(std::string_view method, int id, const Json& args) {
    return protocol::dump_json(Json{{"_method", method}, {"_id", id}, {"args", args}});
}

}  // namespace

TEST_CASE("a connection tells JSON-RPC from legacy calls and answers each in its own form") {
    Fixture f;
    f.send(R"({"jsonrpc":"2.0","id":1,"method":"x.echo","params":{"a":1}})");
    CHECK(f.reply()["result"]["a"] == 1);
    f.send(legacy_call("cus-sec_SpcEcho", 5, {{"inData", "abc"}}));
    auto r = f.reply();
    CHECK(r["_id"] == 5);
    CHECK(r["_method"] == "cus-sec_SpcEcho");
    CHECK(r["_status"] == "00");
    CHECK(r["_args"]["Data"] == Json::array({"3"}));
    f.send(legacy_call("security_SpcEcho", 6, Json::object()));
    CHECK(f.reply()["_args"]["Data"] == Json::array({"empty"}));
    f.send("not json");
    CHECK(f.reply()["error"]["data"]["reason"] == "PARSE_ERROR");
}

TEST_CASE("legacy refusals name the method and leave the connection usable") {
    Fixture f;
    f.send(legacy_call("base_choosefile", 1, Json::object()));
    auto r = f.reply();
    CHECK(r["_args"]["Result"] == false);
    CHECK(r["_args"]["Error"][1] == "Err:Custom59013");
    CHECK(r["_args"]["Error"][0].get<std::string>().find("base_choosefile") != std::string::npos);
    for (auto method : {"update", "pdf-sign_PdfView", "ra_WriteCpuCard", "mofcom_SignMessage",
                        "cus-sec_SpcRSADecrypt", "swc_postdata", "security_PdfAddSign"}) {
        f.send(legacy_call(method, 2, Json::object()));
        CHECK_MESSAGE(f.reply()["_args"]["Error"][1] == "Err:Custom59013", method);
    }
    f.send(legacy_call("cus-sec_SpcNoSuchThing", 3, Json::object()));
    CHECK(f.reply()["_args"]["Error"][1] == "Err:Custom59012");
    f.send(legacy_call("cus-sec_SpcEcho", 4, {{"inData", "x"}}));
    CHECK(f.reply()["_args"]["Result"] == true);
    f.allowed = false;  // a config reload took the origin off the list
    f.send(legacy_call("cus-sec_SpcEcho", 5, {{"inData", "x"}}));
    CHECK(f.reply()["_args"]["Error"][1] == "Err:Custom59020");
}

TEST_CASE("a BLOCKTXT upload is driven by _nextBlock, re-requested when damaged, then run") {
    Fixture f;
    const std::string data(300, 'd');
    const auto frames = protocol::blocktxt::encode(legacy_call("cus-sec_SpcEcho", 9, {{"inData", data}}), kGuid, 128);
    REQUIRE(frames.size() >= 3);
    for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
        if (i == 1) {  // one damaged chunk first: the same block is asked for again
            auto damaged = frames[i];
            damaged.back() = damaged.back() == 'x' ? 'y' : 'x';
            f.send(damaged);
            auto again = f.reply();
            CHECK(again["_args"]["Result"] == false);
            CHECK(again["_args"]["Data"][0]["next"] == 1);
        }
        f.send(frames[i]);
        auto next = f.reply();
        CHECK(next["_method"] == "_nextBlock");
        CHECK(next["_args"]["Result"] == true);
        CHECK(next["_args"]["Data"][0]["guid"] == kGuid);
        CHECK(next["_args"]["Data"][0]["next"] == i + 1);
        CHECK(next["_args"]["Data"][0]["finish"] == false);
    }
    f.send(frames.back());
    REQUIRE(f.peer->sent.size() == 1);
    CHECK(f.peer->sent.front()["_args"]["Data"][0]["finish"] == true);
    auto r = f.reply();
    CHECK(r["_id"] == 9);
    CHECK(r["_args"]["Data"] == Json::array({std::to_string(data.size())}));
}

TEST_CASE("a stalled BLOCKTXT upload is answered under its own method and id") {
    Fixture f(std::chrono::milliseconds(50));
    const auto frames = protocol::blocktxt::encode(legacy_call("cus-sec_SpcEcho", 42, {{"inData", std::string(300, 'd')}}), kGuid, 128);
    f.send(frames[0]);
    CHECK(f.reply()["_args"]["Data"][0]["next"] == 1);
    f.io.run_for(std::chrono::milliseconds(300));
    REQUIRE(f.peer->sent.size() == 1);
    const auto& failure = f.peer->sent.front();
    CHECK(failure["_method"] == "cus-sec_SpcEcho");
    CHECK(failure["_id"] == 42);
    CHECK(failure["_args"]["Error"][1] == "Err:Custom59030");
    // The upload is gone: its next block is refused, under the method it does not know.
    f.send(frames[1]);
    CHECK(f.reply()["_args"]["Result"] == false);
}
