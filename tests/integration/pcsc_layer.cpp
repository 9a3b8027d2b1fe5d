// pcsc_layer: the daemon's PC/SC layer (daemon/pcsc) against the harness's real pcscd and
// virtual card. Lists the reader, reads the PIV certificate object (which needs GET RESPONSE)
// inside a transaction, watches the card being pulled and reinserted through ReaderMonitor, and
// checks that the pulled card's handle reports CARD_REMOVED, as a caller of the daemon sees it.

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "cardbridge/protocol/apdu.hpp"
#include "cardbridge/protocol/error.hpp"
#include "cardbridge/protocol/tlv.hpp"
#include "control_client.hpp"
#include "expect.hpp"
#include "pcsc/apdu_exchange.hpp"
#include "pcsc/card_handle.hpp"
#include "pcsc/context.hpp"
#include "pcsc/reader_monitor.hpp"
#include "pcsc_session.hpp"
#include "reader_events.hpp"

namespace {

using namespace cardbridge;
using namespace cardbridge::daemon::pcsc;
using cardbridge::testing::EventLog;
using cardbridge::testing::expect;
using cardbridge::testing::ms_since;
using cardbridge::testing::required_env;
using protocol::Bytes;
using protocol::CommandApdu;
using Kind = ReaderEvent::Kind;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// vpcd notices removal and insertion at its next presence poll, about every 400 ms.
constexpr milliseconds kChangeTimeout{5000};
const Bytes kPivAid = {0xA0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00};

void command(const std::string& control, const std::string& line) {
    const auto reply = cardbridge::vcard::send_control_command(control, line);
    expect(reply.starts_with("ok"), line + " answered: " + reply);
}

Bytes read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    expect(in.good(), "cannot read " + path);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

int main() {
    try {
        const auto reader = required_env("CARDBRIDGE_VCARD1_READER");
        const auto control = required_env("CARDBRIDGE_VCARD1_CONTROL");
        const auto profile = required_env("CARDBRIDGE_VCARD1_PROFILE");

        EventLog log(kChangeTimeout);
        ReaderMonitor monitor([&log](ReaderEvent event) { log.push(std::move(event)); });
        log.next(reader, Kind::reader_added);
        const Bytes atr = log.next(reader, Kind::card_inserted).event.atr;
        expect(atr.size() >= 2 && atr[0] == 0x3B, "the inserted card's ATR is not an ATR");

        const Context context;
        const auto readers = context.readers();
        expect(std::find(readers.begin(), readers.end(), reader) != readers.end(),
               "Context::readers() does not list " + reader);

        CardHandle card(context, reader);
        const Transmit transmit = [&card](protocol::ByteView apdu) { return card.transmit(apdu); };
        Bytes certificate_object;
        {
            const Transaction transaction(card);
            expect(exchange(transmit, CommandApdu::select_aid(kPivAid)).sw().ok(),
                   "SELECT PIV failed");
            const auto chuid = exchange(transmit, CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x02}));
            expect(chuid.sw().ok(), "GET DATA CHUID failed");
            expect(protocol::find_tlv(protocol::expect_tlv(chuid.data(), protocol::Tag{0x53}),
                                      protocol::Tag{0x34})
                       .has_value(),
                   "the CHUID has no GUID");
            const auto cert = exchange(transmit, CommandApdu::get_data(Bytes{0x5F, 0xC1, 0x05}));
            expect(cert.sw().ok(), "GET DATA 9A certificate failed");
            certificate_object = cert.data();
        }
        // More than one short answer holds: only GET RESPONSE can have brought the rest.
        expect(certificate_object.size() > 256, "the certificate object fit one answer");
        const auto body = protocol::expect_tlv(certificate_object, protocol::Tag{0x53});
        const auto der = protocol::find_tlv(body, protocol::Tag{0x70});
        expect(der.has_value() &&
                   Bytes(der->begin(), der->end()) == read_file(profile + "/9a.crt.der"),
               "the certificate read is not the card's 9A certificate");

        const auto removed_at = Clock::now();
        command(control, "remove");
        log.next(reader, Kind::card_removed);
        const auto removal_ms = ms_since(removed_at);
        try {
            exchange(transmit, CommandApdu::select_aid(kPivAid));
            expect(false, "a transmit on the pulled card succeeded");
        } catch (const Error& error) {
            expect(error.reason() == Reason::CARD_REMOVED,
                   std::string("the pulled card gave ") + std::string(reason_name(error.reason())) +
                       ": " + error.what());
            std::cout << "pcsc_layer: the pulled card's handle: " << error.what() << '\n';
        }

        const auto inserted_at = Clock::now();
        command(control, "insert");
        expect(log.next(reader, Kind::card_inserted).event.atr == atr,
               "the reinserted card shows another ATR");
        const auto insertion_ms = ms_since(inserted_at);
        const CardHandle again(context, reader);
        expect(again.transmit(CommandApdu::select_aid(kPivAid).encode()).size() >= 2,
               "the reinserted card did not answer");

        monitor.stop();
        std::cout << "pcsc_layer: certificate object " << certificate_object.size()
                  << " bytes; card_removed " << removal_ms << " ms after remove, card_inserted "
                  << insertion_ms << " ms after insert\n";
        return 0;
    } catch (const cardbridge::Error& error) {
        std::cerr << "pcsc_layer: " << error.what() << '\n';
        return 1;
    }
}
