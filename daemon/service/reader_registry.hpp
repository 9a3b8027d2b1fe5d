#pragma once
// The places tokens sit in and what is in them, kept on the io thread from the monitors'
// events, so tokens.list is answered without touching a token. A place is a PC/SC reader, or a
// USB key (a PKCS#11 slot with a token, an SKF device), which is a place only while plugged in.
// Each place has its worker (service/token_worker.hpp); a token's summary is read by it as soon
// as the token arrives.

#include <cstdint>
#include <functional>
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
#include "tokens/token.hpp"

namespace cardbridge::daemon {

enum class CardState { empty, present, mute, unsupported };

struct ReaderEntry {
    std::string name;
    CardState state = CardState::empty;
    protocol::Bytes atr;  // cards only
    /// {type, id, label} once the worker has read the card; null before and for no card.
    protocol::Json token;
    /// Counts insertions, so a summary read for a card that has since gone is not shown.
    std::uint64_t insertion = 0;
    std::shared_ptr<TokenWorker> worker;
};

class ReaderRegistry {
public:
    /// The token of the card in a PC/SC reader.
    using CardTokenFactory = std::function<std::unique_ptr<tokens::Token>(const std::string& reader)>;

    ReaderRegistry(boost::asio::io_context& io, EventHub& events, CardTokenFactory card_token)
        : io_(io), events_(events), card_token_(std::move(card_token)) {}

    /// Applies one event and publishes it to the subscribers: a key's arrival as reader.added
    /// then token.inserted, its departure as token.removed then reader.removed.
    void apply(const pcsc::ReaderEvent& event);
    void apply(const tokens::KeyEvent& event);

    /// tokens.list's result.
    protocol::Json list() const;

    /// The place a request means: the named one (NO_READER when unknown, NO_CARD when empty),
    /// or without a name the one with a token (NO_CARD for none, TOKEN_AMBIGUOUS for several).
    const ReaderEntry& resolve(const std::optional<std::string>& reader) const;

private:
    void add_place(const std::string& name, const tokens::TokenFactory& make);
    void remove_place(const std::string& name);
    void token_arrived(const std::string& name, const protocol::Bytes& atr, bool card);
    void token_left(const std::string& name);
    void read_summary(ReaderEntry& entry);

    boost::asio::io_context& io_;
    EventHub& events_;
    CardTokenFactory card_token_;
    std::map<std::string, ReaderEntry, std::less<>> readers_;
};

std::string_view card_state_name(CardState state) noexcept;

}  // namespace cardbridge::daemon
