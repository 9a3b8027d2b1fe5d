// Feeds arbitrary text to the E-Port envelope parser and checks that the reply built for the
// outcome echoes `_id` in the client's own JSON type and `_method` as read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cardbridge/protocol/legacy_envelope.hpp"

using namespace cardbridge;
using namespace cardbridge::protocol;
using namespace cardbridge::protocol::legacy;

namespace {

void check_echo(const std::string& reply, const std::optional<Id>& id, std::string_view method) {
    auto echoed = parse_json(reply);
    const auto& echoed_id = echoed.at("_id");
    bool id_ok = !id ? echoed_id.is_null()
                     : std::visit([&](const auto& v) { return echoed_id == Json(v); }, *id);
    if (!id_ok || echoed.at("_method") != method || echoed.at("_status") != "00") __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // The head of a BLOCKTXT request comes from untrusted text too; sanitizers judge it.
    peek_call_head(text);
    auto outcome = parse_call(text);
    if (const auto* call = std::get_if<Call>(&outcome.result)) {
        if (!call->args.is_object() || outcome.id != call->id || outcome.method != call->method)
            __builtin_trap();
        check_echo(make_response(call->id, call->method, Json::array({call->method})), call->id,
                   call->method);
        return 0;
    }
    const auto& refusal = std::get<Error>(outcome.result);
    auto method = outcome.method.value_or("");
    check_echo(make_failure(outcome.id, method, refusal.what(), 1), outcome.id, method);
    return 0;
}
