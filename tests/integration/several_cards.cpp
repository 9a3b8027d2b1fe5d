// several_cards: with three cards (two reader-config entries, the second half used) each
// reader holds its own card, and each card's control socket steers the card in that reader.

#include <iostream>
#include <string>

#include "cardbridge/protocol/error.hpp"
#include "control_client.hpp"
#include "expect.hpp"
#include "pcsc_session.hpp"
#include "test_apdus.hpp"

namespace {

using namespace cardbridge::testing;
using cardbridge::vcard::send_control_command;

std::string card_env(int card, const char* what) {
    return required_env(("CARDBRIDGE_VCARD" + std::to_string(card) + "_" + what).c_str());
}

}  // namespace

int main() {
    try {
        const int cards = std::stoi(required_env("CARDBRIDGE_VCARD_COUNT"));
        expect(cards == 3, "expected three cards, the harness says " + std::to_string(cards));
        const PcscContext context;
        // Card n gets n SELECTs, so each card's count shows which reader it sits in.
        for (int card = 1; card <= cards; ++card) {
            PcscCard connection(context, card_env(card, "READER"));
            for (int i = 0; i < card; ++i) connection.transmit(kSelectPiv);
        }
        for (int card = 1; card <= cards; ++card) {
            const auto status = send_control_command(card_env(card, "CONTROL"), "status");
            expect(status.ends_with(" apdus=" + std::to_string(card)),
                   "card " + std::to_string(card) + " (" + card_env(card, "READER") +
                       ") reports: " + status);
        }
        std::cout << "several_cards: " << cards << " readers, each card where the harness says\n";
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "several_cards: " << error.what() << '\n';
        return 1;
    }
}
