#include "service/card_job.hpp"
#include "service/params.hpp"
#include "service/token_services.hpp"
#include "tokens/piv_token.hpp"
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
        run_on_card(services.io, entry, services.card_timeout,
                    [atr = protocol::to_hex(entry.atr)](CardSession& session) {
                        auto info = tokens::describe(session.snapshot());
                        info["reader"] = session.reader();
                        info["atr"] = atr;
                        info["pin"] = pin_json(session.transact(
                            [](const pcsc::Transmit& t) { return tokens::pin_state(t); }));
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
