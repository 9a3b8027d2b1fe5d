#include "service/reader_registry.hpp"

#include <boost/asio/post.hpp>

#include "cardbridge/protocol/error.hpp"
#include "log.hpp"
#include "cardbridge/protocol/hex.hpp"

namespace cardbridge::daemon {

using protocol::Json;
using protocol::to_hex;
using Kind = pcsc::ReaderEvent::Kind;

std::string_view card_state_name(CardState state) noexcept {
    switch (state) {
        case CardState::empty: return "empty";
        case CardState::present: return "present";
        case CardState::mute: return "mute";
        case CardState::unsupported: return "unsupported";
    }
    return "empty";
}

void ReaderRegistry::apply(const pcsc::ReaderEvent& event) {
    switch (event.kind) {
        case Kind::reader_added:
            add_place(event.reader, [this, name = event.reader] { return card_token_(name); });
            break;
        case Kind::reader_removed:
            remove_place(event.reader);
            break;
        case Kind::card_inserted:
            token_arrived(event.reader, event.atr, true);
            break;
        case Kind::card_removed:
            token_left(event.reader);
            break;
    }
}

void ReaderRegistry::apply(const tokens::KeyEvent& event) {
    if (event.present) {
        // A key plugged in again keeps its place's name; a stale entry cannot be left over,
        // but a monitor reporting presence twice must not make a second worker.
        if (!readers_.contains(event.reader)) add_place(event.reader, event.make);
        token_arrived(event.reader, {}, false);
    } else if (readers_.contains(event.reader)) {
        token_left(event.reader);
        remove_place(event.reader);
    }
}

void ReaderRegistry::add_place(const std::string& name, const tokens::TokenFactory& make) {
    auto& entry = readers_[name];
    entry.name = name;
    entry.worker = std::make_shared<TokenWorker>(make);
    events_.publish("reader.added", Json{{"reader", name}});
}

void ReaderRegistry::remove_place(const std::string& name) {
    readers_.erase(name);
    events_.publish("reader.removed", Json{{"reader", name}});
}

void ReaderRegistry::token_arrived(const std::string& name, const protocol::Bytes& atr, bool card) {
    auto found = readers_.find(name);
    if (found == readers_.end()) return;
    auto& entry = found->second;
    entry.atr = atr;
    // A card without an ATR is mute; a key has no ATR and answered its module already.
    entry.state = card && atr.empty() ? CardState::mute : CardState::present;
    entry.token = nullptr;
    ++entry.insertion;
    if (entry.state == CardState::present) read_summary(entry);
    events_.publish("token.inserted", Json{{"reader", name}, {"atr", card ? Json(to_hex(atr)) : Json(nullptr)}});
}

void ReaderRegistry::token_left(const std::string& name) {
    auto found = readers_.find(name);
    if (found == readers_.end()) return;
    auto& entry = found->second;
    entry.state = CardState::empty;
    entry.atr.clear();
    entry.token = nullptr;
    ++entry.insertion;
    entry.worker->post([](tokens::Token& token) { token.forget(); });
    events_.publish("token.removed", Json{{"reader", name}});
}

void ReaderRegistry::read_summary(ReaderEntry& entry) {
    // The worker reads the card; the io thread files the result, unless the card has gone (or
    // been replaced) in the meantime, which `insertion` tells.
    entry.worker->post([this, name = entry.name, insertion = entry.insertion](tokens::Token& token) {
        token.forget();  // a new insertion: nothing from the previous token may survive
        Json summary;
        bool usable = true;
        try {
            const auto& snapshot = token.snapshot();
            summary = Json{{"type", snapshot.type}, {"id", snapshot.id}, {"label", snapshot.label}};
        } catch (const Error& e) {
            usable = e.reason() != Reason::UNSUPPORTED_TOKEN;
            log(LogLevel::info, "reader '" + name + "': token not read: " + e.what());
        }
        boost::asio::post(io_, [this, name, insertion, summary = std::move(summary), usable] {
            auto found = readers_.find(name);
            if (found == readers_.end() || found->second.insertion != insertion) return;
            found->second.token = summary;
            if (!usable) found->second.state = CardState::unsupported;
        });
    });
}

Json ReaderRegistry::list() const {
    Json readers = Json::array();
    for (const auto& [name, entry] : readers_) {
        readers.push_back({{"reader", name},
                           {"state", card_state_name(entry.state)},
                           {"atr", entry.atr.empty() ? Json(nullptr) : Json(to_hex(entry.atr))},
                           {"token", entry.token}});
    }
    return Json{{"readers", std::move(readers)}};
}

const ReaderEntry& ReaderRegistry::resolve(const std::optional<std::string>& reader) const {
    if (reader) {
        auto found = readers_.find(*reader);
        if (found == readers_.end()) throw Error(Reason::NO_READER, "no reader named '" + *reader + "'");
        if (found->second.state == CardState::empty)
            throw Error(Reason::NO_CARD, "no card or key in '" + *reader + "'");
        return found->second;
    }
    const ReaderEntry* only = nullptr;
    for (const auto& [name, entry] : readers_) {
        if (entry.state == CardState::empty) continue;
        if (only != nullptr)
            throw Error(Reason::TOKEN_AMBIGUOUS, "several cards or keys are present; name the reader");
        only = &entry;
    }
    if (only == nullptr)
        throw Error(readers_.empty() ? Reason::NO_READER : Reason::NO_CARD,
                    readers_.empty() ? "no reader or key is connected" : "no card is inserted");
    return *only;
}

}  // namespace cardbridge::daemon
