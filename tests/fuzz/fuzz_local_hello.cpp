// The local socket's first message each way, as the daemon and the CLI parse them. Whatever
// parse_hello accepts must come back the same through make_hello; parse_answer must only
// throw cardbridge::Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"
#include "cardbridge/protocol/local_hello.hpp"

using namespace cardbridge;
using namespace cardbridge::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Json message;
    try {
        message = parse_json(text);
    } catch (const Error&) {
        return 0;
    }
    try {
        const auto hello = local_hello::parse_hello(message);
        const auto again = local_hello::make_hello(hello.origin, hello.attested_by);
        if (local_hello::parse_hello(parse_json(again)) != hello) __builtin_trap();
    } catch (const Error&) {
    }
    try {
        local_hello::parse_answer(message);
    } catch (const Error&) {
    }
    return 0;
}
