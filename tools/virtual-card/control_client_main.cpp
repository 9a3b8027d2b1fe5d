// cardbridge-vcard-ctl SOCKET COMMAND [ARGUMENT]: one command to a running cardbridge-vcard.
// Prints the card's reply; exit status 0 when it starts with "ok", 1 otherwise.

#include <iostream>
#include <string>

#include "cardbridge/protocol/error.hpp"
#include "control_client.hpp"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: cardbridge-vcard-ctl SOCKET insert|remove|mute|unmute|status\n"
                     "       cardbridge-vcard-ctl SOCKET delay MILLISECONDS\n";
        return 2;
    }
    std::string command = argv[2];
    for (int i = 3; i < argc; ++i) command += std::string(" ") + argv[i];
    try {
        const auto reply = cardbridge::vcard::send_control_command(argv[1], command);
        std::cout << reply << '\n';
        return reply.starts_with("ok") ? 0 : 1;
    } catch (const cardbridge::Error& error) {
        std::cerr << "cardbridge-vcard-ctl: " << error.what() << '\n';
        return 1;
    }
}
