#pragma once
// A virtual PIV card: the contents of one profile directory (PROFILE.md) and the card's state.
// Transport-agnostic: the vpcd link feeds it power events and APDUs and sends back its answers.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace cardbridge::vcard {

class Card {
public:
    /// Throws cardbridge::Error naming the file and the problem when the profile is unusable.
    static Card load(const std::filesystem::path& profile_dir);

    Card(Card&&) noexcept;
    Card& operator=(Card&&) noexcept;
    ~Card();

    const std::vector<std::uint8_t>& atr() const noexcept;

    /// Power and reset end the session (selected applet, PIN verified) but keep retry counters.
    void power_on();
    void power_off();
    void reset();

    /// One command APDU (short or extended) in, response data ‖ SW1 SW2 out. Never throws for
    /// bad commands: a card answers them with a status word.
    std::vector<std::uint8_t> transmit(std::span<const std::uint8_t> command);

private:
    struct State;
    explicit Card(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace cardbridge::vcard
