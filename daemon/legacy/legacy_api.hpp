#pragma once
// The legacy E-Port API (docs/LEGACY.md) as a table of methods, beside the JSON-RPC one. A
// call's `args` are moved into its method, so one that carries a PIN can wipe it and a 10 MiB
// `inData` is never copied. Methods answer with the reply's Data array, or an Error that the
// one legacy table (protocol/legacy_failure.hpp) turns into Err:Custom<n>.

#include <map>
#include <string>
#include <string_view>

#include "cardbridge/protocol/json.hpp"
#include "service/api.hpp"
#include "transport/peer.hpp"

namespace cardbridge::daemon::legacy {

using protocol::Json;
/// `done` takes the Data array, or the Error.
using LegacyMethod = std::function<void(const CallContext&, Json args, Complete done)>;

class LegacyApi {
public:
    /// Under its full name, e.g. "ver" or "swc_security_login".
    void add(std::string name, LegacyMethod method);
    /// Under both module prefixes of the customs security functions: "cus-sec_" and the older
    /// "security_" (design notes §6.2).
    void add_security(std::string_view function, const LegacyMethod& method);

    /// Answers one legacy call (a parsed message with `_method`); `limits` bound the JSON
    /// string a swc_postdata `args` may hold. `reply` is called exactly once, from any thread.
    void handle(Json message, const CallContext& ctx, const Reply& reply,
                const protocol::JsonLimits& limits = {}) const;

private:
    std::map<std::string, LegacyMethod, std::less<>> methods_;
};

/// Whether cardbridge refuses `method` on purpose (files, printing, launching, updates, card
/// issuing, other vendors' modules): docs/LEGACY.md "Refused".
bool is_refused(std::string_view method) noexcept;

}  // namespace cardbridge::daemon::legacy
