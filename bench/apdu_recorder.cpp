#include "apdu_recorder.hpp"

#include <dlfcn.h>
#include <winscard.h>

#include <stdexcept>

namespace cardbridge::bench {

namespace {

ApduRecording* active = nullptr;

template <class Function>
Function* libpcsclite(const char* name) {
    auto* found = reinterpret_cast<Function*>(dlsym(RTLD_NEXT, name));
    if (found == nullptr) throw std::runtime_error(std::string("libpcsclite has no ") + name);
    return found;
}

}  // namespace

RecordingScope::RecordingScope(ApduRecording& recording) {
    recording.clear();
    active = &recording;
}

RecordingScope::~RecordingScope() {
    active = nullptr;
}

}  // namespace cardbridge::bench

// These take the place of libpcsclite's functions in this executable: its own code and the
// daemon's static library are linked to them before the shared library. Each calls the real
// function, then records.
extern "C" {

LONG SCardBeginTransaction(SCARDHANDLE card) {
    static const auto real =
        cardbridge::bench::libpcsclite<LONG(SCARDHANDLE)>("SCardBeginTransaction");
    const LONG result = real(card);
    if (result == SCARD_S_SUCCESS && cardbridge::bench::active != nullptr)
        cardbridge::bench::active->emplace_back();
    return result;
}

LONG SCardTransmit(SCARDHANDLE card, const SCARD_IO_REQUEST* send_pci, LPCBYTE command,
                   DWORD command_length, SCARD_IO_REQUEST* receive_pci, LPBYTE response,
                   LPDWORD response_length) {
    static const auto real =
        cardbridge::bench::libpcsclite<decltype(SCardTransmit)>("SCardTransmit");
    const LONG result =
        real(card, send_pci, command, command_length, receive_pci, response, response_length);
    auto* recording = cardbridge::bench::active;
    if (result == SCARD_S_SUCCESS && recording != nullptr && !recording->empty() &&
        *response_length >= 2) {
        const auto sw = static_cast<std::uint16_t>(response[*response_length - 2] << 8 |
                                                   response[*response_length - 1]);
        recording->back().push_back(
            {cardbridge::protocol::Bytes(command, command + command_length), sw});
    }
    return result;
}

}  // extern "C"
