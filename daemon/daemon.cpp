#include "daemon.hpp"

#include <systemd/sd-daemon.h>

#include <boost/asio/post.hpp>

#include "cardbridge/protocol/legacy_envelope.hpp"
#include "legacy/legacy_methods.hpp"
#include "log.hpp"
#include "pcsc/card_link.hpp"
#include "service/system_methods.hpp"
#include "transport/peer.hpp"

namespace cardbridge::daemon {

namespace asio = boost::asio;

namespace {

std::vector<asio::ip::tcp::endpoint> endpoints(const Config& config, asio::io_context& io) {
    std::vector<asio::ip::tcp::endpoint> at;
    for (const auto& address : config.listen) {
        if (address.is_v6()) {
            // Some hosts boot with IPv6 disabled: the IPv6 loopback is then skipped, not fatal.
            asio::ip::tcp::socket probe(io);
            boost::system::error_code ec;
            probe.open(asio::ip::tcp::v6(), ec);
            if (ec) {
                log(LogLevel::warning, "IPv6 is unavailable; not listening on " + address.to_string());
                continue;
            }
        }
        at.emplace_back(address, config.port);
    }
    return at;
}

std::string ws_url(const asio::ip::tcp::endpoint& ep) {
    auto addr = ep.address().to_string();
    return "ws://" + (ep.address().is_v6() ? "[" + addr + "]" : addr) + ":" + std::to_string(ep.port());
}

Rights rights_of(const OriginRule* rule) {
    return rule == nullptr ? Rights{} : Rights{rule->may_login, rule->may_sign, rule->may_send_pin};
}

}  // namespace

Daemon::Daemon(asio::io_context& io, Config config, Options options,
               std::optional<InheritedSockets> inherited)
    : io_(io),
      config_(std::move(config)),
      options_(std::move(options)),
      policy_(origin_policy(config_).with_extra(options_.extra_origins)),
      readers_(io, events_,
               [](const std::string& reader) -> std::unique_ptr<tokens::Token> {
                   return std::make_unique<tokens::PivToken>(std::make_unique<pcsc::PcscCardLink>(reader));
               }),
      audit_(config_.audit_log),
      pins_(PinentryConfig{config_.pinentry}, config_.limits.pin_timeout),
      services_{io, readers_, events_, pins_, audit_, config_.limits.card_timeout,
                config_.limits.card_timeout + config_.limits.pin_timeout},
      connections_{io, api_, legacy_,
                   [this](const std::shared_ptr<Peer>& peer) { return context_for(peer); }, {}} {
    add_system_methods(api_);
    add_token_methods(api_, services_);
    add_pin_methods(api_, services_);
    add_signing_methods(api_, services_);
    add_config_methods();
    legacy::add_card_data_methods(legacy_, services_);
    legacy::add_pin_methods(legacy_, services_);
    legacy::add_signing_methods(legacy_, services_);
    legacy::add_utility_methods(legacy_, services_);

    Handlers local_handlers;
    local_handlers.open = [this](const std::shared_ptr<Peer>& peer) -> std::shared_ptr<Conversation> {
        return std::make_shared<Connection>(connections_, peer);
    };
    // Legacy pages (and their integrators' clients) wait for the E-Port hello before calling;
    // JSON-RPC clients skip it. On the local socket the extension plays it to the page itself.
    Handlers ws_handlers;
    ws_handlers.open = [this](const std::shared_ptr<Peer>& peer) -> std::shared_ptr<Conversation> {
        peer->send(protocol::legacy::make_hello(CARDBRIDGE_VERSION));
        return std::make_shared<Connection>(connections_, peer);
    };
    start_servers(std::move(ws_handlers), std::move(local_handlers), std::move(inherited));
    monitor_ = std::make_unique<pcsc::ReaderMonitor>([this](pcsc::ReaderEvent event) {
        asio::post(io_, [this, event = std::move(event)] { readers_.apply(event); });
    });
    start_key_monitors();
}

Daemon::~Daemon() { stop(); }

void Daemon::start_servers(Handlers ws_handlers, Handlers local_handlers,
                           std::optional<InheritedSockets> inherited) {
    socket_activated_ = inherited.has_value();
    if (socket_activated_ && config_.limits.idle_exit.count() > 0) {
        const auto after = config_.limits.idle_exit;
        idle_ = IdleExit::start(io_, after, [this, after] {
            log(LogLevel::info, "no connection for " + std::to_string(after.count()) +
                                    " s (limits.idleExitSeconds): exiting; systemd starts "
                                    "cardbridged again for the next connection");
            stop();
            io_.stop();
        });
        idle_->count(ws_handlers);
        idle_->count(local_handlers);
    }
    auto allowed = [this](std::string_view origin) { return policy_.allows(origin); };
    WsLimits ws_limits;
    ws_limits.max_connections = config_.limits.max_connections;
    ws_limits.max_message_bytes = config_.limits.max_message_bytes;
    ws_limits.max_in_flight = config_.limits.max_in_flight;
    ws_limits.idle_timeout = config_.limits.idle_timeout;
    LocalLimits local_limits;
    local_limits.max_message_bytes = config_.limits.max_message_bytes;
    local_limits.max_in_flight = config_.limits.max_in_flight;
    if (!inherited) {
        ws_ = std::make_unique<WsServer>(io_, endpoints(config_, io_), ws_limits, allowed, ws_handlers);
        local_ = std::make_unique<LocalServer>(io_, config_.socket, local_limits, allowed, local_handlers);
        return;
    }
    log(LogLevel::info, "socket activation: serving the sockets systemd passed; the config's "
                        "port, listen and socket and --port and --socket do not apply");
    if (inherited->local_path != config_.socket)
        log(LogLevel::warning, "systemd's local socket " + inherited->local_path.string() +
                                   " is not the one the config names (" + config_.socket.string() +
                                   "), where cardbridge and cardbridge-host look for the daemon");
    ws_ = std::make_unique<WsServer>(io_, std::move(inherited->websocket), ws_limits, allowed,
                                     ws_handlers);
    local_ = std::make_unique<LocalServer>(io_, std::move(inherited->local), local_limits, allowed,
                                           local_handlers);
}

void Daemon::start_key_monitors() {
    const auto on_key = [this](tokens::KeyEvent event) {
        asio::post(io_, [this, event = std::move(event)] { readers_.apply(event); });
    };
    const auto& keys = config_.usb_keys;
    const auto strings = [](const std::vector<std::filesystem::path>& paths) {
        return std::vector<std::string>(paths.begin(), paths.end());
    };
    if (!keys.pkcs11.empty() || keys.p11kit_registry)
        pkcs11_ = std::make_unique<tokens::Pkcs11Monitor>(strings(keys.pkcs11), keys.p11kit_registry, on_key);
    if (!keys.skf.empty()) skf_ = std::make_unique<tokens::SkfMonitor>(strings(keys.skf), on_key);
}

void Daemon::stop() {
    if (stopped_) return;
    stopped_ = true;
    sd_notify(0, "STOPPING=1");
    if (idle_) idle_->stop();
    // The monitors first: after stop() returns they post nothing more.
    if (monitor_) monitor_->stop();
    if (pkcs11_) pkcs11_->stop();
    if (skf_) skf_->stop();
    if (ws_) ws_->stop();
    if (local_) local_->stop();
}

std::string Daemon::describe() const {
    std::string out;
    for (const auto& ep : ws_->local_endpoints()) out += (out.empty() ? "" : " and ") + ws_url(ep);
    return out + (out.empty() ? "" : " and ") + local_->path().string() +
           (socket_activated_ ? " (from systemd)" : "") + "; allowed origins: " + policy_.describe();
}

CallContext Daemon::context_for(const std::shared_ptr<Peer>& peer) const {
    CallContext ctx{peer->origin(), {}, true, peer};
    if (ctx.origin) {
        const auto* rule = policy_.find(*ctx.origin);
        ctx.origin_allowed = rule != nullptr;
        ctx.rights = rights_of(rule);
    } else {
        // A local tool on the owner-only socket is the user at the keyboard: it may type the
        // PIN, but logs in and signs for no page.
        ctx.rights = Rights{false, false, true};
    }
    return ctx;
}

void Daemon::add_config_methods() {
    api_.add("config.reload", [this](const CallContext& ctx, Json params, Complete done) {
        if (ctx.origin) throw Error(Reason::NOT_PERMITTED, "only local tools may reload the config");
        if (!params.empty()) throw Error(Reason::INVALID_PARAMS, "config.reload takes no params");
        // Both layers again, as at the start: the user's file and the system-wide one.
        auto config = load_config(options_.config);
        policy_ = origin_policy(config).with_extra(options_.extra_origins);
        set_log_level(config.log_level);
        log(LogLevel::info, "config reloaded from " + describe_files(config) +
                                "; allowed origins: " + policy_.describe());
        // Addresses, the socket, limits, pinentry and the audit log apply at the next start.
        done(Json{{"reloaded", true}, {"origins", origins_to_json(policy_.rules())}});
    });
}

}  // namespace cardbridge::daemon
