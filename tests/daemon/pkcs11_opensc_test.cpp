// The monitor's blocking path: OpenSC's module (which implements C_WaitForSlotEvent) against a
// virtual PIV card behind a private pcscd. Runs as daemon.pkcs11_opensc_slot_events under
// tests/harness/vcard-env; elsewhere (no CARDBRIDGE_VCARD1_CONTROL) it has nothing to drive.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>

#include "../unit/expect_error.hpp"
#include "cardbridge/protocol/crypto_signature.hpp"
#include "pkcs11_fixture.hpp"
#include "tokens/signing.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::tokens;
using Clock = std::chrono::steady_clock;
using protocol::Bytes;

namespace {

constexpr auto kEventTimeout = std::chrono::seconds(10);  // vpcd shows a change in ~0.4 s

void card(const char* ctl, const char* control, const char* command) {
    const std::string line = std::string("'") + ctl + "' '" + control + "' " + command;
    REQUIRE_MESSAGE(std::system((line + " >/dev/null").c_str()) == 0, line);
}

}  // namespace

TEST_CASE("pkcs11 with OpenSC: removal and insertion arrive through C_WaitForSlotEvent") {
    const char* control = std::getenv("CARDBRIDGE_VCARD1_CONTROL");
    const char* ctl = std::getenv("CARDBRIDGE_VCARD_CTL");
    if (control == nullptr || ctl == nullptr) {
        MESSAGE("not under vcard-env: see daemon.pkcs11_opensc_slot_events");
        return;
    }
    test::KeyEvents events;
    Pkcs11Monitor monitor({CARDBRIDGE_OPENSC_PKCS11}, false, events.callback());
    const KeyEvent inserted = events.wait_for(1, kEventTimeout).back();
    REQUIRE(inserted.present);
    CHECK(inserted.reader == "opensc-pkcs11.so slot 0");

    // OpenSC's PIV emulation: 9A, 9C, 9D as CKA_ID 01, 02, 03. 9C wants the PIN before every
    // signature (CKA_ALWAYS_AUTHENTICATE), which shows only after login: its key is private.
    const auto token = inserted.make();
    const std::string id = token->snapshot().id;
    CHECK(id.starts_with("pkcs11:PKCS#15 emulated:"));
    const CertificateInfo* found = find_certificate(token->snapshot(), "02");
    REQUIRE(found != nullptr);
    const CertificateInfo signing = *found;  // kept past forget()
    const auto user = daemon::SecurePin::from(test::kUserPin);
    const Bytes message = {'d', 'e', 'c', 'l'};
    const Bytes raw =
        sign(*token, signing, SignAlgorithm::ECDSA_SHA256, SignInput::data(message), &user);
    CHECK(crypto::verify_signature(signing.public_key(), crypto::DigestAlgorithm::SHA256, message,
                                   crypto::ecdsa_raw_to_der(raw)));
    // Logged in, yet the key wants the PIN again: CKU_CONTEXT_SPECIFIC needs one.
    const Error again = error_of([&] {
        sign(*token, signing, SignAlgorithm::ECDSA_SHA256, SignInput::data(message), nullptr);
    });
    CHECK(again.reason() == Reason::NOT_PERMITTED);
    CHECK(std::string(again.what()).find("before every signature") != std::string::npos);

    card(ctl, control, "remove");
    const KeyEvent removed = events.wait_for(2, kEventTimeout).back();
    CHECK_FALSE(removed.present);
    CHECK(removed.reader == inserted.reader);
    const Reason gone = reason_of_call([&] { token->pin_state(); });
    CHECK((gone == Reason::CARD_REMOVED || gone == Reason::CARD_ERROR));
    token->forget();

    card(ctl, control, "insert");
    const KeyEvent back = events.wait_for(3, kEventTimeout).back();
    CHECK(back.present);
    CHECK(back.reader == inserted.reader);
    const auto reinserted = back.make();
    CHECK(reinserted->snapshot().id == id);

    // The monitor's thread waits in C_WaitForSlotEvent. stop() leaves it there rather than
    // race OpenSC's C_Finalize (pkcs11/monitor_core.hpp), and returns at once.
    const auto started = Clock::now();
    monitor.stop();
    CHECK(Clock::now() - started < std::chrono::seconds(1));
    CHECK(events.all().size() == 3);
}
