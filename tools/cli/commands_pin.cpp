// verify-pin: the user types the card's PIN here and the daemon verifies it on the card.

#include <chrono>

#include "commands.hpp"
#include "connection.hpp"
#include "pin/secure_pin.hpp"
#include "pin_input.hpp"

namespace cardbridge::cli {
namespace {

using protocol::Json;

constexpr std::chrono::seconds kVerifyTimeout{60};

// The request's copy of the PIN, wiped however the call ends.
struct PinParams {
    Json params = Json::object();
    ~PinParams() {
        if (auto it = params.find("pin"); it != params.end())
            daemon::wipe(it->get_ref<std::string&>());
    }
};

}  // namespace

ExitStatus run_verify_pin(const Invocation& inv, const Output& out) {
    // Connect first: no point typing a PIN for a daemon that is not there.
    auto daemon = connect(inv, out);
    if (!daemon) return kExitNotRunning;
    TypedPin pin;
    read_pin(pin, inv.reader ? out.text(Msg::pin_prompt_reader, {*inv.reader})
                             : out.text(Msg::pin_prompt));
    PinParams request;
    if (inv.reader) request.params["reader"] = *inv.reader;
    request.params["pin"] = pin.text();
    auto result = daemon->call("token.verifyPin", request.params, kVerifyTimeout);
    if (out.json)
        out.value(result);
    else
        out.line(out.text(Msg::pin_verified));
    return kExitOk;
}

}  // namespace cardbridge::cli
