#pragma once
// cardbridged as one object: the parts, wired, in the order they must start and stop. The
// reader monitor is the last to start and the first to stop, so no PC/SC event arrives at a
// part that is gone; the token workers go before the io_context they report to.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "audit/audit_log.hpp"
#include "config/config.hpp"
#include "idle_exit.hpp"
#include "legacy/legacy_api.hpp"
#include "options.hpp"
#include "pcsc/reader_monitor.hpp"
#include "service/api.hpp"
#include "service/connection.hpp"
#include "service/event_hub.hpp"
#include "service/origin_policy.hpp"
#include "service/pin_source.hpp"
#include "service/reader_registry.hpp"
#include "service/token_services.hpp"
#include "tokens/pkcs11/pkcs11_monitor.hpp"
#include "tokens/skf/skf_monitor.hpp"
#include "transport/inherited_sockets.hpp"
#include "transport/local_server.hpp"
#include "transport/ws_server.hpp"

namespace cardbridge::daemon {

class Daemon {
public:
    /// Binds the WebSocket and the local socket (throws Error naming what could not be bound),
    /// or serves the sockets systemd passed; then the config's addresses, port and socket and
    /// the options' --port and --socket do not apply, and the daemon exits once idle for
    /// limits.idleExitSeconds (systemd starts it again for the next connection).
    Daemon(boost::asio::io_context& io, Config config, Options options,
           std::optional<InheritedSockets> inherited = std::nullopt);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    /// The "listening on …" line.
    std::string describe() const;
    /// Stops accepting and watching (telling systemd); the io_context then runs out of work.
    void stop();

private:
    void add_config_methods();
    /// The WebSocket and local servers, on sockets of their own or on `inherited`.
    void start_servers(Handlers ws_handlers, Handlers local_handlers,
                       std::optional<InheritedSockets> inherited);
    /// The PKCS#11 and SKF monitors the config's usbKeys asks for.
    void start_key_monitors();
    /// What a message from `peer` may do, by its origin's rule as the config says now.
    CallContext context_for(const std::shared_ptr<Peer>& peer) const;

    boost::asio::io_context& io_;
    Config config_;
    Options options_;
    OriginPolicy policy_;
    EventHub events_;
    ReaderRegistry readers_;
    AuditLog audit_;
    PinSource pins_;
    TokenServices services_;
    Api api_;
    legacy::LegacyApi legacy_;
    ConnectionServices connections_;
    std::unique_ptr<WsServer> ws_;
    std::unique_ptr<LocalServer> local_;
    std::unique_ptr<pcsc::ReaderMonitor> monitor_;
    std::unique_ptr<tokens::Pkcs11Monitor> pkcs11_;
    std::unique_ptr<tokens::SkfMonitor> skf_;
    std::shared_ptr<IdleExit> idle_;  // under socket activation only
    bool socket_activated_ = false;
    bool stopped_ = false;
};

}  // namespace cardbridge::daemon
