#include "channel_messages.hpp"

#include <limits>

namespace cardbridge::host {
namespace {

using protocol::Json;

[[noreturn]] void refuse(const std::string& problem) {
    throw Error(Reason::INVALID_REQUEST, "a message to cardbridge-host " + problem);
}

ChannelId channel_of(const Json& message) {
    auto it = message.find("channel");
    if (it == message.end()) refuse("needs \"channel\"");
    // 7.0 or 1e3 would come back as another spelling of the number: integers only.
    if (it->is_number_unsigned()) {
        auto value = it->get<std::uint64_t>();
        if (value >= 1 && value <= std::numeric_limits<ChannelId>::max())
            return static_cast<ChannelId>(value);
    } else if (it->is_number_integer() && it->get<std::int64_t>() >= 1) {
        return it->get<std::int64_t>();
    }
    refuse("needs \"channel\" as a positive integer");
}

OpenChannel open_of(const Json& open) {
    if (!open.is_object() || open.size() != 1 || !open.contains("origin"))
        refuse("\"open\" must be {\"origin\":…} (null for the extension's own pages)");
    const auto& origin = open["origin"];
    if (origin.is_null()) return {};
    if (!origin.is_string()) refuse("\"open\" needs \"origin\" as a string or null");
    return {origin.get<std::string>()};
}

Json reason_object(const Error& error) {
    return Json{{"reason", reason_name(error.reason())}, {"message", error.what()}};
}

}  // namespace

ExtensionRequest parse_request(Json message) {
    if (!message.is_object()) refuse("must be an object");
    ExtensionRequest request{channel_of(message), CloseChannel{}};
    if (message.size() != 2)
        refuse("must have \"channel\" and one of \"open\", \"send\", \"close\"");
    if (auto open = message.find("open"); open != message.end()) {
        request.action = open_of(*open);
    } else if (auto send = message.find("send"); send != message.end()) {
        request.action = SendOnChannel{std::move(*send)};
    } else if (auto close = message.find("close"); close != message.end()) {
        if (*close != true) refuse("must say \"close\":true");
    } else {
        refuse("must have \"channel\" and one of \"open\", \"send\", \"close\"");
    }
    return request;
}

std::string make_opened(ChannelId channel, std::string_view version) {
    return protocol::dump_json(Json{{"channel", channel}, {"opened", {{"version", version}}}});
}

std::string make_message(ChannelId channel, const Json& message) {
    return protocol::dump_json(Json{{"channel", channel}, {"message", message}});
}

std::string make_closed(ChannelId channel, const std::optional<Error>& why) {
    return protocol::dump_json(
        Json{{"channel", channel}, {"closed", why ? reason_object(*why) : Json::object()}});
}

std::string make_error(const Error& error) {
    return protocol::dump_json(Json{{"error", reason_object(error)}});
}

}  // namespace cardbridge::host
