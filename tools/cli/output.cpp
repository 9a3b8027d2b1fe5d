#include "output.hpp"

namespace cardbridge::cli {

using protocol::Json;

ExitStatus exit_status_for(Reason reason) noexcept {
    switch (reason) {
        case Reason::ORIGIN_NOT_ALLOWED:
        case Reason::NOT_PERMITTED:
        case Reason::NOT_SUPPORTED:
            return kExitRefused;
        case Reason::PCSC_UNAVAILABLE:
        case Reason::NO_READER:
        case Reason::NO_CARD:
        case Reason::CARD_REMOVED:
        case Reason::CARD_ERROR:
        case Reason::UNSUPPORTED_TOKEN:
        case Reason::UNSUPPORTED_ALGORITHM:
        case Reason::TOKEN_AMBIGUOUS:
            return kExitCard;
        case Reason::PIN_INCORRECT:
        case Reason::PIN_BLOCKED:
        case Reason::PIN_CANCELLED:
        case Reason::PIN_FORMAT:
            return kExitPin;
        case Reason::TOKEN_MALFORMED:
        case Reason::ORIGIN_INVALID:
        case Reason::NONCE_INVALID:
        case Reason::CERT_UNTRUSTED:
        case Reason::CERT_EXPIRED:
        case Reason::CERT_KEY_USAGE:
        case Reason::SIGNATURE_INVALID:
            return kExitTokenInvalid;
        case Reason::TIMEOUT:
        case Reason::BUSY:
            return kExitTimeout;
        case Reason::DAEMON_UNAVAILABLE:
            return kExitNotRunning;
        case Reason::PARSE_ERROR:
        case Reason::INVALID_REQUEST:
        case Reason::METHOD_NOT_FOUND:
        case Reason::INVALID_PARAMS:
        case Reason::INTERNAL:
        case Reason::FRAME_TOO_LARGE:
            break;
    }
    return kExitOther;
}

Json error_to_json(const Error& error) {
    Json body{{"reason", reason_name(error.reason())},
              {"code", reason_code(error.reason())},
              {"message", error.what()}};
    if (error.retries_left()) body["retriesLeft"] = *error.retries_left();
    return Json{{"error", std::move(body)}};
}

void Output::value(const Json& json_value) const {
    out << protocol::dump_json(json_value) << std::endl;
}

ExitStatus Output::error(const Error& e) const {
    if (json) {
        value(error_to_json(e));
    } else {
        err << "cardbridge: " << reason_name(e.reason()) << ": " << e.what();
        if (e.retries_left())
            err << " (" << text(Msg::retries_left, {std::to_string(*e.retries_left())}) << ")";
        err << '\n';
    }
    return exit_status_for(e.reason());
}

ExitStatus Output::not_running(const std::string& socket) const {
    if (json) {
        value(Json{{"running", false}, {"socket", socket}});
    } else {
        err << "cardbridge: " << text(Msg::not_running, {socket}) << '\n'
            << text(Msg::start_hint) << '\n';
    }
    return kExitNotRunning;
}

}  // namespace cardbridge::cli
