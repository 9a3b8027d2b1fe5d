#pragma once
// Socket options that take vpcd's round trip from ~44 ms (Nagle against delayed ACK) to ~0.1 ms.

#include <boost/asio/ip/tcp.hpp>

namespace cardbridge::vcard {

/// Answers leave at once instead of waiting for the ACK of the previous segment.
void disable_nagle(boost::asio::ip::tcp::socket& socket);

/// vpcd 0.8 sends the length and the payload of a frame in two writes without TCP_NODELAY, so
/// its payload waits until we ACK the length. Linux clears TCP_QUICKACK after it acts, which is
/// why this has to be called before every read. A failure only costs latency, and the read that
/// follows reports a broken socket anyway, so it is not reported here.
void arm_quick_ack(boost::asio::ip::tcp::socket& socket) noexcept;

}  // namespace cardbridge::vcard
