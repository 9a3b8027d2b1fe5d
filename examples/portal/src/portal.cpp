#include "portal.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include "api/router.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/origin.hpp"
#include "db/database.hpp"
#include "flows/flows.hpp"
#include "flows/services.hpp"
#include "frontend.hpp"
#include "http/server.hpp"

namespace cardbridge::portal {

namespace asio = boost::asio;

namespace {

crypto::TrustAnchors load_anchors(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("--ca " + file + ": cannot be read");
    const std::string pem{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    try {
        return crypto::TrustAnchors(crypto::certificates_from_pem(pem, Reason::INVALID_PARAMS));
    } catch (const Error& e) {
        throw std::runtime_error("--ca " + file + ": no usable CA certificate (" + e.what() + ")");
    }
}

std::string checked_origin(const std::string& origin) {
    try {
        if (protocol::Origin::parse(origin).str() == origin) return origin;
    } catch (const Error& e) {
        throw std::runtime_error("--origin " + origin + ": " + e.what());
    }
    throw std::runtime_error("--origin " + origin + ": not in the form a browser sends");
}

}  // namespace

// Declaration order is construction order: each part needs only those above it.
struct Portal::Parts {
    Parts(const Options& options, Clock clock, const std::filesystem::path& default_web)
        : db(options.db_file),
          hasher(io.get_executor()),
          server(io, options.listen_address, options.listen_port,
                 [this](HttpRequest request, Respond respond) {
                     frontend->handle(std::move(request), std::move(respond));
                 }),
          address(options.listen_address),
          origin(checked_origin(options.origin.value_or(default_origin(address, server.port())))),
          services(db, CardProofs(load_anchors(options.ca_file), origin), hasher, clock),
          router(services.users, origin),
          files(options.web_dir.value_or(default_web.string())),
          signals(io) {
        add_all_routes(router, services);
        frontend.emplace(services.sessions, router, files, std::move(clock));
        server.start();
    }

    asio::io_context io;
    Database db;
    PasswordHasher hasher;
    HttpServer server;
    std::string address;
    std::string origin;
    Services services;
    Router router;
    StaticFiles files;
    std::optional<Frontend> frontend;
    asio::signal_set signals;
};

Portal::Portal(const Options& options, Clock clock, const std::filesystem::path& default_web)
    : parts_(std::make_unique<Parts>(options, std::move(clock), default_web)) {}

Portal::~Portal() = default;

std::uint16_t Portal::port() const {
    return parts_->server.port();
}

const std::string& Portal::origin() const {
    return parts_->origin;
}

std::string Portal::listening() const {
    const auto& address = parts_->address;
    const bool v6 = address.find(':') != std::string::npos;
    return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port());
}

void Portal::run() {
    parts_->io.run();
}

void Portal::stop() {
    asio::post(parts_->io, [parts = parts_.get()] {
        parts->server.stop();
        parts->signals.cancel();
        parts->io.stop();
    });
}

void Portal::stop_on_signals() {
    parts_->signals.add(SIGINT);
    parts_->signals.add(SIGTERM);
    parts_->signals.async_wait([this](const boost::system::error_code& ec, int) {
        if (!ec) stop();
    });
}

}  // namespace cardbridge::portal
