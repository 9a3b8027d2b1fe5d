#pragma once
// The readers the daemon sees and what is in them, kept on the io thread from the monitor's
// events, so tokens.list is answered without touching PC/SC. Each reader has its worker
// (service/token_worker.hpp); a card's summary is read by it as soon as the card is inserted.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/json.hpp"
#include "pcsc/reader_monitor.hpp"
#include "service/event_hub.hpp"
#include "service/token_worker.hpp"

namespace cardbridge::daemon {

enum class CardState { empty, present, mute, unsupported };

struct ReaderEntry {
    std::string name;
    CardState state = CardState::empty;
    protocol::Bytes atr;
    /// {type, id, label} once the worker has read the card; null before and for no card.
    protocol::Json token;
    /// Counts insertions, so a summary read for a card that has since gone is not shown.
    std::uint64_t insertion = 0;
    std::shared_ptr<TokenWorker> worker;
};

class ReaderRegistry {
public:
    ReaderRegistry(boost::asio::io_context& io, EventHub& events) : io_(io), events_(events) {}

    /// Applies one monitor event and publishes it to the subscribers.
    void apply(const pcsc::ReaderEvent& event);

    /// tokens.list's result.
    protocol::Json list() const;

    /// The reader a request means: the named one (NO_READER when unknown, NO_CARD when empty),
    /// or without a name the one with a card (NO_CARD for none, TOKEN_AMBIGUOUS for several).
    const ReaderEntry& resolve(const std::optional<std::string>& reader) const;

private:
    void read_summary(ReaderEntry& entry);

    boost::asio::io_context& io_;
    EventHub& events_;
    std::map<std::string, ReaderEntry, std::less<>> readers_;
};

std::string_view card_state_name(CardState state) noexcept;

}  // namespace cardbridge::daemon
