#pragma once
// The HTTP/1.1 transport: accepts connections, reads one request at a time within the caps
// and deadlines below, hands it to a handler and writes the answer with the security headers.
// The only translation unit that includes Boost.Beast.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace boost::asio {
class io_context;
}

namespace cardbridge::portal {

struct HttpLimits {
    std::size_t header_bytes = 8 * 1024;
    std::size_t body_bytes = 64 * 1024;
    /// From a request's first byte to its last.
    std::chrono::seconds request_read{30};
    /// A kept-alive connection waiting for its next request.
    std::chrono::seconds idle{60};
};

class HttpServer {
public:
    /// Binds and listens at once (so the port is known before run); throws
    /// boost::system::system_error when the address cannot be bound.
    HttpServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
               HttpHandler handler, HttpLimits limits = {});
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    std::uint16_t port() const;
    void start();
    /// Stops accepting; connections in progress end with the io_context.
    void stop();

private:
    struct Listener;
    std::shared_ptr<Listener> listener_;
};

}  // namespace cardbridge::portal
