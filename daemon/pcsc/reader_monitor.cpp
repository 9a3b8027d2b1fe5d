#include "pcsc/reader_monitor.hpp"

#include <pcsclite.h>

#include <algorithm>
#include <map>
#include <vector>

#include "pcsc/pcsc_error.hpp"

namespace cardbridge::daemon::pcsc {

namespace {

constexpr const char* kPnpReader = "\\\\?PnP?\\Notification";

struct Known {
    DWORD state = SCARD_STATE_UNAWARE;  // what pcscd last told us, our next dwCurrentState
    bool card = false;
};

bool service_lost(LONG result) {
    return reason_for(result) == Reason::PCSC_UNAVAILABLE;
}

// pcsc-lite counts insertions and removals in the upper 16 bits of the event state, so a card
// swapped between two waits still shows as a change.
DWORD event_count(DWORD state) {
    return state >> 16;
}

}  // namespace

ReaderMonitor::ReaderMonitor(Callback on_event, Backoff backoff)
    : on_event_(std::move(on_event)), backoff_(backoff), thread_([this] { run(); }) {}

ReaderMonitor::~ReaderMonitor() {
    stop();
}

void ReaderMonitor::stop() noexcept {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
    // SCardCancel only ends a wait already in progress; one that lands between the thread's
    // check of stopping_ and its entry into SCardGetStatusChange is lost. So repeat it until the
    // thread has left: a bounded shutdown handshake, not a polling loop.
    while (!finished_) {
        if (active_ != nullptr) active_->cancel();
        wake_.wait_for(lock, std::chrono::milliseconds(50), [this] { return finished_; });
    }
    lock.unlock();
    if (thread_.joinable()) thread_.join();
}

bool ReaderMonitor::stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
}

bool ReaderMonitor::wait_unless_stopped(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void ReaderMonitor::run() noexcept {
    auto delay = backoff_.first;
    while (!stopping()) {
        std::optional<Context> context;
        try {
            context.emplace();
        } catch (const Error&) {
            // pcscd is not there (yet): try again later, ever more patiently.
            if (!wait_unless_stopped(delay)) break;
            delay = std::min(delay * 2, backoff_.max);
            continue;
        }
        {
            std::lock_guard lock(mutex_);
            active_ = &*context;
        }
        Outcome outcome = Outcome::service_lost;
        try {
            outcome = watch(*context);
        } catch (const Error&) {
            // The context broke some other way (e.g. a failed SCardListReaders): start over.
        }
        {
            std::lock_guard lock(mutex_);
            active_ = nullptr;
        }
        if (outcome == Outcome::stopped) break;
        delay = backoff_.first;
        if (!wait_unless_stopped(delay)) break;
        delay = std::min(delay * 2, backoff_.max);
    }
    std::lock_guard lock(mutex_);
    finished_ = true;
    wake_.notify_all();
}

ReaderMonitor::Outcome ReaderMonitor::watch(const Context& context) {
    std::map<std::string, Known> known;  // node-stable: the wait points at its keys
    DWORD pnp_state = SCARD_STATE_UNAWARE;

    const auto report = [this](ReaderEvent::Kind kind, const std::string& reader,
                               protocol::Bytes atr = {}) {
        on_event_(ReaderEvent{kind, reader, std::move(atr)});
    };
    const auto forget_all = [&] {
        for (const auto& [name, reader] : known) {
            if (reader.card) report(ReaderEvent::Kind::card_removed, name);
            report(ReaderEvent::Kind::reader_removed, name);
        }
        known.clear();
    };

    for (;;) {
        std::vector<std::string> names;
        try {
            names = context.readers();
        } catch (const Error&) {
            forget_all();
            throw;
        }
        for (auto it = known.begin(); it != known.end();) {
            if (std::find(names.begin(), names.end(), it->first) != names.end()) {
                ++it;
                continue;
            }
            if (it->second.card) report(ReaderEvent::Kind::card_removed, it->first);
            report(ReaderEvent::Kind::reader_removed, it->first);
            it = known.erase(it);
        }
        for (const auto& name : names) {
            if (known.emplace(name, Known{}).second) report(ReaderEvent::Kind::reader_added, name);
        }

        std::vector<SCARD_READERSTATE> states;
        states.push_back(SCARD_READERSTATE{});
        states.back().szReader = kPnpReader;
        states.back().dwCurrentState = pnp_state;
        for (const auto& [name, reader] : known) {
            states.push_back(SCARD_READERSTATE{});
            states.back().szReader = name.c_str();
            states.back().dwCurrentState = reader.state;
        }

        if (stopping()) return Outcome::stopped;
        const LONG result = SCardGetStatusChange(context.get(), INFINITE, states.data(),
                                                 static_cast<DWORD>(states.size()));
        if (stopping()) return Outcome::stopped;
        if (result == SCARD_E_UNKNOWN_READER) continue;  // a reader left before the wait began
        if (result != SCARD_S_SUCCESS) {
            forget_all();
            if (service_lost(result)) return Outcome::service_lost;
            throw make_error("SCardGetStatusChange", result);
        }

        pnp_state = states.front().dwEventState & ~SCARD_STATE_CHANGED;
        for (std::size_t i = 1; i < states.size(); ++i) {
            const SCARD_READERSTATE& state = states[i];
            Known& reader = known.at(state.szReader);
            if ((state.dwEventState & SCARD_STATE_CHANGED) == 0) continue;
            const bool card = (state.dwEventState & SCARD_STATE_PRESENT) != 0;
            const bool swapped =
                reader.card && card && event_count(state.dwEventState) != event_count(reader.state);
            if (reader.card && (!card || swapped)) {
                report(ReaderEvent::Kind::card_removed, state.szReader);
            }
            if (card && (!reader.card || swapped)) {
                report(ReaderEvent::Kind::card_inserted, state.szReader,
                       protocol::Bytes(state.rgbAtr, state.rgbAtr + state.cbAtr));
            }
            reader.card = card;
            reader.state = state.dwEventState & ~SCARD_STATE_CHANGED;
        }
    }
}

}  // namespace cardbridge::daemon::pcsc
