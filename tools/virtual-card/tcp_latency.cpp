#include "tcp_latency.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace cardbridge::vcard {

void disable_nagle(boost::asio::ip::tcp::socket& socket) {
    socket.set_option(boost::asio::ip::tcp::no_delay(true));
}

void arm_quick_ack(boost::asio::ip::tcp::socket& socket) noexcept {
    const int on = 1;
    ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
}

}  // namespace cardbridge::vcard
