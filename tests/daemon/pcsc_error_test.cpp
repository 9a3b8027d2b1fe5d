#include <doctest/doctest.h>
#include <pcsclite.h>

#include <string>

#include "pcsc/pcsc_error.hpp"

using namespace cardbridge;
using namespace cardbridge::daemon::pcsc;

TEST_CASE("PC/SC codes map to the reason a user is told") {
    CHECK(reason_for(SCARD_E_NO_SERVICE) == Reason::PCSC_UNAVAILABLE);
    CHECK(reason_for(SCARD_E_SERVICE_STOPPED) == Reason::PCSC_UNAVAILABLE);
    CHECK(reason_for(SCARD_E_NO_READERS_AVAILABLE) == Reason::NO_READER);
    CHECK(reason_for(SCARD_E_UNKNOWN_READER) == Reason::NO_READER);
    CHECK(reason_for(SCARD_E_READER_UNAVAILABLE) == Reason::NO_READER);
    CHECK(reason_for(SCARD_E_NO_SMARTCARD) == Reason::NO_CARD);
    CHECK(reason_for(SCARD_W_REMOVED_CARD) == Reason::CARD_REMOVED);
    CHECK(reason_for(SCARD_W_RESET_CARD) == Reason::CARD_REMOVED);
    CHECK(reason_for(SCARD_E_SHARING_VIOLATION) == Reason::BUSY);
    CHECK(reason_for(SCARD_E_TIMEOUT) == Reason::TIMEOUT);
    CHECK(reason_for(SCARD_E_CANCELLED) == Reason::PCSC_UNAVAILABLE);
    CHECK(reason_for(SCARD_W_UNRESPONSIVE_CARD) == Reason::CARD_ERROR);
    CHECK(reason_for(SCARD_E_NOT_TRANSACTED) == Reason::CARD_ERROR);
    // What we passed wrong is our bug, never blamed on the card.
    CHECK(reason_for(SCARD_E_INVALID_PARAMETER) == Reason::INTERNAL);
    CHECK(reason_for(SCARD_E_INSUFFICIENT_BUFFER) == Reason::INTERNAL);
}

TEST_CASE("the error names the call and carries pcsc-lite's text") {
    const Error error = make_error("SCardTransmit", SCARD_W_REMOVED_CARD);
    CHECK(error.reason() == Reason::CARD_REMOVED);
    const std::string message = error.what();
    CHECK(message.starts_with("SCardTransmit: "));
    CHECK(message.find(pcsc_stringify_error(SCARD_W_REMOVED_CARD)) != std::string::npos);
    CHECK(message.find("0x80100069") != std::string::npos);
}

TEST_CASE("check throws only on failure") {
    CHECK_NOTHROW(check("SCardConnect", SCARD_S_SUCCESS));
    try {
        check("SCardConnect", SCARD_E_NO_SMARTCARD);
        FAIL("no error for SCARD_E_NO_SMARTCARD");
    } catch (const Error& error) {
        CHECK(error.reason() == Reason::NO_CARD);
        CHECK(std::string(error.what()).starts_with("SCardConnect: "));
    }
}
