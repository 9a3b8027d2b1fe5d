#pragma once
// One client connection as the service sees it. Both APIs share the endpoint, so each message
// is told apart here: a JSON object with `_method` is a legacy E-Port call, text starting with
// BLOCKTXT a chunk of a larger legacy call, anything else JSON-RPC. The legacy chunks are
// reassembled per connection, so their state lives and dies with it.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cardbridge/protocol/blocktxt_reassembler.hpp"
#include "cardbridge/protocol/legacy_envelope.hpp"
#include "legacy/legacy_api.hpp"
#include "service/api.hpp"
#include "transport/peer.hpp"

namespace cardbridge::daemon {

struct ConnectionServices {
    boost::asio::io_context& io;
    const Api& api;
    const legacy::LegacyApi& legacy;
    /// The caller's rights, looked up per message: a config reload may change them.
    std::function<CallContext(const std::shared_ptr<Peer>&)> context;
    protocol::blocktxt::Limits blocktxt;
};

class Connection : public Conversation, public std::enable_shared_from_this<Connection> {
public:
    Connection(const ConnectionServices& services, const std::shared_ptr<Peer>& peer);

    void on_message(std::string text, Reply reply) override;

private:
    void on_block(std::string_view frame, const Reply& reply);
    void run_assembled(std::string text, protocol::legacy::CallHead head, const Reply& reply);
    /// Answers the uploads whose deadline passed, each under its own method and id.
    void expire_uploads();
    void arm_timer();
    protocol::legacy::CallHead take_head(const std::string& guid);

    const ConnectionServices& services_;
    std::weak_ptr<Peer> peer_;  // the peer owns this conversation
    protocol::blocktxt::Reassembler uploads_;
    /// `_method` and `_id` of each upload, read from its first block, for answering a failure.
    std::map<std::string, protocol::legacy::CallHead, std::less<>> heads_;
    boost::asio::steady_timer timer_;
};

}  // namespace cardbridge::daemon
