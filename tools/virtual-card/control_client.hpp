#pragma once
// The other end of a card's control channel, for tests and for cardbridge-vcard-ctl.

#include <filesystem>
#include <string>
#include <string_view>

namespace cardbridge::vcard {

/// Sends one command line and returns the card's reply line (without its newline).
/// Throws Error(PCSC_UNAVAILABLE) when the socket cannot be reached or closes early.
std::string send_control_command(const std::filesystem::path& socket, std::string_view command);

}  // namespace cardbridge::vcard
