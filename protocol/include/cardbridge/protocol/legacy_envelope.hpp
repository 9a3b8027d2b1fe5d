#pragma once
// The envelope of China E-Port's client-control protocol (eport-legacy-protocol.md §3), which
// unmodified portal pages speak over ws://127.0.0.1:61232:
//   request  {"_method": "cus-sec_SpcGetCardID", "_id": 3, "args": {...}}
//   response {"_id": 3, "_method": "...", "_status": "00",
//             "_args": {"Result": true, "Data": [...], "Error": [...]}}
// Unlike our JSON-RPC, parsing is lenient about extra members: integrators' clients add their
// own, and the original service ignores them, so refusing them would break working pages. What
// we do read is checked strictly.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/json.hpp"

namespace cardbridge::protocol::legacy {

/// `_id` in the JSON type the client used, so that the reply matches what it compares with:
/// an integer, or a string of decimal digits that fits in int64 (kept verbatim, e.g. "007").
using Id = std::variant<std::int64_t, std::string>;

inline constexpr std::size_t kMaxMethodLength = 128;
/// The one method whose `args` may arrive as a JSON string holding the object (§6.3).
inline constexpr std::string_view kPostDataMethod = "swc_postdata";

struct Call {
    Id id;
    std::string method;
    Json args;  // always an object; {} when the request had none
};

struct CallOutcome {
    /// `_id` and `_method` as far as they could be read, even when the call was refused: the
    /// official JS library routes replies by `_method`, so a failure must still carry it.
    std::optional<Id> id;
    std::optional<std::string> method;
    std::variant<Call, Error> result;
};

/// Parses one request; never throws cardbridge::Error (a refusal is in `result`).
/// `_method` must be 1..kMaxMethodLength bytes of printable ASCII. A malformed envelope is
/// Reason::INVALID_REQUEST, malformed `args` Reason::INVALID_PARAMS. `limits` also bound the
/// JSON string inside a swc_postdata `args`.
CallOutcome parse_call(std::string_view text, const JsonLimits& limits = {});
/// The same for a message already parsed by parse_json (named apart: text converts to Json).
/// Takes the message by value and moves `args` out of it, so a 10 MiB inData is never copied.
CallOutcome call_from_json(Json message, const JsonLimits& limits = {});

/// `_method` and `_id` read from the start of a request's JSON text without parsing it whole:
/// the first BLOCKTXT chunk of a request too big for one message, so that a request dropped
/// mid-way can still be answered under its own method and id. Finds the first `"_method"`
/// member (of the top-level object) whose value is a string of 1..kMaxMethodLength printable
/// ASCII chars (no escapes) and the first `"_id"` member whose value is an integer or a string
/// of decimal digits fitting int64 (as Id; same rules as call_from_json), each with optional
/// whitespace around the ':'; a value cut off by the prefix's end is not read. Scans at most
/// the first 4096 bytes; either may be nullopt. Never throws.
struct CallHead {
    std::optional<Id> id;
    std::optional<std::string> method;
};
CallHead peek_call_head(std::string_view json_prefix) noexcept;

/// A success reply: Result true, `data` as Data (an array of strings and objects), Error [].
/// An `id` of nullopt is sent as null (the request's `_id` could not be read); an unreadable
/// method is sent as "". Throws Error(INTERNAL) when `data` is not such an array.
std::string make_response(const std::optional<Id>& id, std::string_view method, const Json& data);
/// A failure reply: Result false, Data [], Error [message, "Err:Custom<custom_code>"], the
/// shape the portal pages test for.
std::string make_failure(const std::optional<Id>& id, std::string_view method,
                         std::string_view message, std::uint32_t custom_code);

/// The hello sent as soon as a connection opens: `_id` 0, `_method` "open", `_status` "00".
/// The original's `_args` are undocumented and no page reads them; we send Result true and
/// Data ["cardbridge", product_version], so a curious integrator can tell who answered.
std::string make_hello(std::string_view product_version);

/// The BLOCKTXT flow-control message (§4.4): asks for block `next` of the upload `guid`
/// (Result false = the last block was bad and must be resent), or ends it with `finish`.
/// It carries `_status` "00" and an empty Error like every other message, and no `_id`: it
/// answers a block, not a call.
std::string make_next_block(bool result, std::string_view guid, std::uint32_t next, bool finish);

}  // namespace cardbridge::protocol::legacy
