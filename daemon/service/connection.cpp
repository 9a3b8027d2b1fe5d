#include "service/connection.hpp"

#include "cardbridge/protocol/jsonrpc.hpp"
#include "cardbridge/protocol/legacy_failure.hpp"
#include "pin/secure_pin.hpp"

namespace cardbridge::daemon {

namespace blocktxt = protocol::blocktxt;
namespace envelope = protocol::legacy;
using Clock = blocktxt::Reassembler::Clock;

Connection::Connection(const ConnectionServices& services, const std::shared_ptr<Peer>& peer)
    : services_(services), peer_(peer), uploads_(services.blocktxt), timer_(services.io) {}

void Connection::on_message(std::string text, Reply reply) {
    auto peer = peer_.lock();
    if (!peer) return reply(std::nullopt);
    if (text.starts_with(blocktxt::kMagic)) {
        on_block(text, reply);
        return wipe(text);
    }
    Json message;
    try {
        message = protocol::parse_json(text);
    } catch (const Error& e) {
        wipe(text);
        return reply(protocol::jsonrpc::make_error(std::nullopt, e));
    }
    // Parsed: the text's copy of a PIN goes now, the message's once the method has taken it.
    wipe(text);
    const auto ctx = services_.context(peer);
    if (message.is_object() && message.contains("_method"))
        services_.legacy.handle(std::move(message), ctx, reply);
    else
        services_.api.handle(message, ctx, reply);
    wipe_strings(message);
}

void Connection::on_block(std::string_view frame, const Reply& reply) {
    expire_uploads();  // first, so feed() finds no expired upload to drop unanswered
    std::optional<std::string> guid;
    try {
        const auto header = blocktxt::parse_header(frame);
        guid = header.guid;
        if (header.block_number == 0 && !heads_.contains(header.guid))
            heads_.emplace(header.guid, envelope::peek_call_head(frame.substr(blocktxt::kHeaderSize)));
    } catch (const Error&) {
        // feed() refuses the same header with the reason; there is no call to answer under.
    }
    try {
        auto step = uploads_.feed(frame, Clock::now());
        if (auto* next = std::get_if<blocktxt::NextBlock>(&step)) {
            reply(envelope::make_next_block(next->accepted, next->guid, next->next, false));
        } else {
            auto& complete = std::get<blocktxt::Complete>(step);
            auto head = take_head(complete.guid);
            if (auto peer = peer_.lock())
                peer->send(envelope::make_next_block(true, complete.guid, 0, true));
            run_assembled(std::move(complete.text), std::move(head), reply);
        }
    } catch (const Error& e) {
        // The upload is gone (or never began): the client's call gets its answer now.
        const auto head = guid ? take_head(*guid) : envelope::CallHead{};
        reply(envelope::make_failure(head.id, head.method.value_or(""), e));
    }
    arm_timer();
}

void Connection::run_assembled(std::string text, envelope::CallHead head, const Reply& reply) {
    // Each unit of the upload was at most 3 bytes of UTF-8.
    const protocol::JsonLimits limits{.max_bytes = 3 * services_.blocktxt.max_total_units};
    Json message;
    try {
        message = protocol::parse_json(text, limits);
    } catch (const Error& e) {
        wipe(text);
        return reply(envelope::make_failure(head.id, head.method.value_or(""), e));
    }
    wipe(text);
    text.shrink_to_fit();  // a 10 MiB upload is held once, as the parsed message
    auto peer = peer_.lock();
    if (!peer) return reply(std::nullopt);
    if (!message.is_object() || !message.contains("_method"))
        return reply(envelope::make_failure(
            head.id, head.method.value_or(""),
            Error(Reason::INVALID_REQUEST, "BLOCKTXT must carry a legacy call")));
    services_.legacy.handle(std::move(message), services_.context(peer), reply, limits);
    wipe_strings(message);
}

envelope::CallHead Connection::take_head(const std::string& guid) {
    auto found = heads_.find(guid);
    if (found == heads_.end()) return {};
    auto head = std::move(found->second);
    heads_.erase(found);
    return head;
}

void Connection::expire_uploads() {
    auto expired = uploads_.expire(Clock::now());
    auto peer = peer_.lock();
    for (const auto& guid : expired) {
        const auto head = take_head(guid);
        const Error timeout(Reason::TIMEOUT, "the upload " + guid + " stalled");
        if (peer) peer->send(envelope::make_failure(head.id, head.method.value_or(""), timeout));
    }
}

void Connection::arm_timer() {
    const auto deadline = uploads_.next_deadline();
    if (!deadline) {
        timer_.cancel();
        return;
    }
    timer_.expires_at(*deadline);
    timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (ec || !self) return;
        self->expire_uploads();
        self->arm_timer();
    });
}

}  // namespace cardbridge::daemon
