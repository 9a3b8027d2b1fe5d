#include "service/card_job.hpp"
#include "service/params.hpp"
#include "service/token_services.hpp"
#include "tokens/describe.hpp"
#include "cardbridge/protocol/hex.hpp"

namespace cardbridge::daemon {

namespace {

Json pin_json(const tokens::PinState& pin) {
    return Json{{"retriesLeft", pin.retries_left ? Json(*pin.retries_left) : Json(nullptr)},
                {"blocked", pin.blocked},
                {"verified", pin.verified}};
}

}  // namespace

void add_token_methods(Api& api, TokenServices& services) {
    api.add("tokens.list", [&services](const CallContext&, Json params, Complete done) {
        Params(params, "tokens.list", {});
        done(services.readers.list());
    });

    api.add("token.info", [&services](const CallContext&, Json params, Complete done) {
        const auto reader = Params(params, "token.info", {"reader"}).text("reader", kMaxReaderName);
        const auto& entry = services.readers.resolve(reader);
        // A key has no ATR: null, as in tokens.list.
        Json atr = entry.atr.empty() ? Json(nullptr) : Json(protocol::to_hex(entry.atr));
        run_on_card(services.io, entry, services.card_timeout,
                    [atr = std::move(atr)](tokens::Token& token) {
                        auto info = tokens::describe(token.snapshot());
                        info["reader"] = token.reader();
                        info["atr"] = atr;
                        info["pin"] = pin_json(token.pin_state());
                        return info;
                    },
                    std::move(done));
    });

    api.add("events.subscribe", [&services](const CallContext& ctx, Json params, Complete done) {
        Params(params, "events.subscribe", {});
        auto peer = ctx.peer.lock();
        if (!peer) throw Error(Reason::NOT_SUPPORTED, "this connection cannot receive events");
        services.events.subscribe(peer);
        done(Json{{"subscribed", true}});
    });
}

}  // namespace cardbridge::daemon
