#include "pcsc_session.hpp"

#include <pcsclite.h>

#include <algorithm>
#include <cstdlib>

#include "cardbridge/protocol/error.hpp"

namespace cardbridge::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Reader names that pcscd does not know yet are watched through this pseudo reader, which
// changes whenever a reader comes or goes.
constexpr const char* kPnpReader = "\\\\?PnP?\\Notification";

}  // namespace

void throw_pcsc_error(const char* call, LONG result) {
    throw Error(Reason::PCSC_UNAVAILABLE, std::string(call) + ": " + pcsc_stringify_error(result));
}

PcscContext::PcscContext() {
    const LONG result = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context_);
    if (result != SCARD_S_SUCCESS) throw_pcsc_error("SCardEstablishContext", result);
}

PcscContext::~PcscContext() {
    SCardReleaseContext(context_);
}

PcscCard::PcscCard(const PcscContext& context, const std::string& reader) {
    const LONG result = SCardConnect(context.get(), reader.c_str(), SCARD_SHARE_SHARED,
                                     SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &handle_, &protocol_);
    if (result != SCARD_S_SUCCESS) throw_pcsc_error("SCardConnect", result);
}

PcscCard::~PcscCard() {
    SCardDisconnect(handle_, SCARD_LEAVE_CARD);
}

LONG PcscCard::transmit(std::span<const std::uint8_t> command,
                        std::vector<std::uint8_t>& response) {
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    response.resize(65538);
    DWORD length = static_cast<DWORD>(response.size());
    const LONG result =
        SCardTransmit(handle_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr,
                      response.data(), &length);
    response.resize(result == SCARD_S_SUCCESS ? length : 0);
    return result;
}

std::vector<std::uint8_t> PcscCard::transmit(std::span<const std::uint8_t> command) {
    std::vector<std::uint8_t> response;
    const LONG result = transmit(command, response);
    if (result != SCARD_S_SUCCESS) throw_pcsc_error("SCardTransmit", result);
    return response;
}

DWORD wait_for_reader_state(const PcscContext& context, const std::string& reader, DWORD wanted,
                            std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    SCARD_READERSTATE states[2] = {};
    states[0].szReader = reader.c_str();
    states[0].dwCurrentState = SCARD_STATE_UNAWARE;
    states[1].szReader = kPnpReader;
    states[1].dwCurrentState = SCARD_STATE_UNAWARE;
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        const LONG result = SCardGetStatusChange(
            context.get(), static_cast<DWORD>(std::max<long long>(left.count(), 0)), states, 2);
        if (result == SCARD_E_TIMEOUT) {
            throw Error(Reason::TIMEOUT, "reader '" + reader +
                                             "' did not reach the state wanted within " +
                                             std::to_string(timeout.count()) + " ms");
        }
        if (result != SCARD_S_SUCCESS) throw_pcsc_error("SCardGetStatusChange", result);
        const DWORD state = states[0].dwEventState;
        if ((state & SCARD_STATE_UNKNOWN) == 0 && (state & wanted) == wanted) return state;
        for (auto& entry : states) entry.dwCurrentState = entry.dwEventState & ~SCARD_STATE_CHANGED;
    }
}

std::string required_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        throw Error(Reason::INVALID_PARAMS,
                    std::string(name) + " is not set: run this under tests/harness/vcard-env");
    }
    return value;
}

}  // namespace cardbridge::testing
