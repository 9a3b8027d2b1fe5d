#include "daemon.hpp"

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

Daemon::Daemon(asio::io_context& io, Config config, Options options)
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
    auto allowed = [this](std::string_view origin) { return policy_.allows(origin); };
    WsLimits ws_limits;
    ws_limits.max_connections = config_.limits.max_connections;
    ws_limits.max_message_bytes = config_.limits.max_message_bytes;
    ws_limits.max_in_flight = config_.limits.max_in_flight;
    ws_limits.idle_timeout = config_.limits.idle_timeout;
    ws_ = std::make_unique<WsServer>(io, endpoints(config_, io), ws_limits, allowed, ws_handlers);
    LocalLimits local_limits;
    local_limits.max_message_bytes = config_.limits.max_message_bytes;
    local_limits.max_in_flight = config_.limits.max_in_flight;
    local_ = std::make_unique<LocalServer>(io, config_.socket, local_limits, allowed, local_handlers);
    monitor_ = std::make_unique<pcsc::ReaderMonitor>([this](pcsc::ReaderEvent event) {
        asio::post(io_, [this, event = std::move(event)] { readers_.apply(event); });
    });
    start_key_monitors();
}

Daemon::~Daemon() { stop(); }

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
    return out + " and " + local_->path().string() + "; allowed origins: " + policy_.describe();
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
        auto config = load_config(config_.file);
        policy_ = origin_policy(config).with_extra(options_.extra_origins);
        set_log_level(config.log_level);
        log(LogLevel::info, "config reloaded from " + config.file.string() +
                                "; allowed origins: " + policy_.describe());
        // Addresses, the socket, limits, pinentry and the audit log apply at the next start.
        done(Json{{"reloaded", true}, {"origins", origins_to_json(policy_.rules())}});
    });
}

}  // namespace cardbridge::daemon
