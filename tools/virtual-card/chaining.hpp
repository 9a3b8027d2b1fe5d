#pragma once
// ISO 7816-4 chaining in both directions, kept apart from the applet so that every command
// sees whole data and produces whole answers: command chaining (CLA bit 10) joins the data of
// several APDUs; response chaining hands out what Le cannot take at once as 61xx + GET RESPONSE.

#include <optional>
#include <variant>

#include "cardbridge/protocol/apdu.hpp"

namespace cardbridge::vcard {

class CommandChain {
public:
    /// Far above the largest command the card takes (RSA-2048 GENERAL AUTHENTICATE, 266 bytes).
    static constexpr std::size_t kMaxData = 4096;

    /// The whole command once `link` ends a chain (or is no chain at all), else the status
    /// word that answers `link`: 9000 for a link taken in, 6883 for a link of another command
    /// (the chain is dropped), 6700 for a chain longer than kMaxData.
    std::variant<protocol::CommandApdu, protocol::StatusWord> add(protocol::CommandApdu link);
    void clear() noexcept { pending_.reset(); }

private:
    std::optional<protocol::CommandApdu> pending_;
};

class ResponseChain {
public:
    /// `answer` to `command`, cut to the command's Ne (256 when it has no Le): the rest waits
    /// for GET RESPONSE behind 61xx.
    protocol::Bytes deliver(const protocol::CommandApdu& command, protocol::ResponseApdu answer);
    /// GET RESPONSE: the next min(Ne, left) bytes; 6985 when nothing waits; 6Cxx when a short
    /// Le other than 00 asks for more than is left (xx: what is left, to be asked for exactly).
    protocol::Bytes get_response(const protocol::CommandApdu& command);
    void clear() noexcept;

private:
    protocol::Bytes hand_out(std::size_t count);

    protocol::Bytes pending_;
    std::size_t offset_ = 0;
    protocol::StatusWord final_sw_ = protocol::sw::kOk;
};

}  // namespace cardbridge::vcard
