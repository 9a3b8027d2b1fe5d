#include "pcsc/context.hpp"

#include <utility>

#include "pcsc/pcsc_error.hpp"

namespace cardbridge::daemon::pcsc {

Context::Context() {
    check("SCardEstablishContext",
          SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context_));
    valid_ = true;
}

Context::~Context() {
    release();
}

Context::Context(Context&& other) noexcept
    : context_(std::exchange(other.context_, 0)), valid_(std::exchange(other.valid_, false)) {}

Context& Context::operator=(Context&& other) noexcept {
    if (this != &other) {
        release();
        context_ = std::exchange(other.context_, 0);
        valid_ = std::exchange(other.valid_, false);
    }
    return *this;
}

void Context::release() noexcept {
    if (valid_) SCardReleaseContext(context_);
    valid_ = false;
}

std::vector<std::string> Context::readers() const {
    // The list can grow between the two calls; then ask again with the new size.
    for (;;) {
        DWORD size = 0;
        LONG result = SCardListReaders(context_, nullptr, nullptr, &size);
        if (result == SCARD_E_NO_READERS_AVAILABLE) return {};
        check("SCardListReaders", result);
        std::string buffer(size, '\0');
        result = SCardListReaders(context_, nullptr, buffer.data(), &size);
        if (result == SCARD_E_NO_READERS_AVAILABLE) return {};
        if (result == SCARD_E_INSUFFICIENT_BUFFER) continue;
        check("SCardListReaders", result);
        buffer.resize(size);
        // A multi-string: names separated by NUL, ended by an empty name.
        std::vector<std::string> names;
        for (std::size_t start = 0; start < buffer.size();) {
            const std::size_t end = buffer.find('\0', start);
            if (end == start || end == std::string::npos) break;
            names.push_back(buffer.substr(start, end - start));
            start = end + 1;
        }
        return names;
    }
}

void Context::cancel() const noexcept {
    if (valid_) SCardCancel(context_);
}

}  // namespace cardbridge::daemon::pcsc
