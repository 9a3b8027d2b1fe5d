// readers, watch, info: what the daemon sees of readers and cards.

#include <chrono>
#include <iostream>

#include "commands.hpp"
#include "connection.hpp"
#include "render.hpp"

namespace cardbridge::cli {
namespace {

using protocol::Json;

// token.info may read the card for the first time since insertion.
constexpr std::chrono::seconds kCardTimeout{60};

Json reader_params(const Invocation& inv) {
    Json params = Json::object();
    if (inv.reader) params["reader"] = *inv.reader;
    return params;
}

}  // namespace

ExitStatus run_readers(const Invocation& inv, const Output& out) {
    auto daemon = connect(inv, out);
    if (!daemon) return kExitNotRunning;
    auto result = daemon->call("tokens.list");
    if (out.json)
        out.value(result);
    else
        out.out << render_readers(result, out.language);
    return kExitOk;
}

ExitStatus run_watch(const Invocation& inv, const Output& out) {
    auto daemon = connect(inv, out);
    if (!daemon) return kExitNotRunning;
    daemon->call("events.subscribe");
    if (!out.json) out.err << out.text(Msg::watching) << std::endl;
    // Until Ctrl-C ends the process (nothing here needs cleaning up) or the daemon goes away.
    while (auto event = daemon->next_notification(std::nullopt)) {
        if (out.json)
            out.value(Json{{"event", event->method}, {"params", event->params}});
        else
            out.out << render_event(*event, out.language) << std::endl;
    }
    return kExitOk;
}

ExitStatus run_info(const Invocation& inv, const Output& out) {
    auto daemon = connect(inv, out);
    if (!daemon) return kExitNotRunning;
    auto info = daemon->call("token.info", reader_params(inv), kCardTimeout);
    if (out.json)
        out.value(info);
    else
        out.out << render_info(info, out.language);
    return kExitOk;
}

}  // namespace cardbridge::cli
