#include <algorithm>

#include "cardbridge/protocol/legacy_envelope.hpp"

namespace cardbridge::protocol::legacy {
namespace {

Json to_json(const std::optional<Id>& id) {
    if (!id) return nullptr;
    return std::visit([](const auto& v) { return Json(v); }, *id);
}

// "_status" is "00" on every message the original sends, business failures included; clients
// treat anything else as a broken connection.
Json message(std::string_view method, bool result, Json data, Json errors) {
    return {
        {"_method", method},
        {"_status", "00"},
        {"_args", {{"Result", result}, {"Data", std::move(data)}, {"Error", std::move(errors)}}}};
}

Json reply(const std::optional<Id>& id, std::string_view method, bool result, Json data,
           Json errors) {
    auto reply = message(method, result, std::move(data), std::move(errors));
    reply["_id"] = to_json(id);
    return reply;
}

}  // namespace

std::string make_response(const std::optional<Id>& id, std::string_view method, const Json& data) {
    bool well_formed = data.is_array() && std::all_of(data.begin(), data.end(), [](const Json& v) {
                           return v.is_string() || v.is_object();
                       });
    if (!well_formed)
        throw Error(Reason::INTERNAL, "E-Port reply Data must be an array of strings and objects");
    return dump_json(reply(id, method, true, data, Json::array()));
}

std::string make_failure(const std::optional<Id>& id, std::string_view method,
                         std::string_view message, std::uint32_t custom_code) {
    Json errors = Json::array({message, "Err:Custom" + std::to_string(custom_code)});
    return dump_json(reply(id, method, false, Json::array(), std::move(errors)));
}

std::string make_hello(std::string_view product_version) {
    return dump_json(reply(std::int64_t{0}, "open", true,
                           Json::array({"cardbridge", product_version}), Json::array()));
}

std::string make_next_block(bool result, std::string_view guid, std::uint32_t next, bool finish) {
    Json block{{"guid", guid}, {"next", next}, {"finish", finish}};
    return dump_json(message("_nextBlock", result, Json::array({block}), Json::array()));
}

}  // namespace cardbridge::protocol::legacy
