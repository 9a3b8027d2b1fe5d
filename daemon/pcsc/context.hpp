#pragma once
// An owned SCARDCONTEXT. cancel() is the one member that may be called from another thread
// while a blocking call (SCardGetStatusChange) runs on this context: that is what PC/SC made
// SCardCancel for.

#include <winscard.h>

#include <string>
#include <vector>

namespace cardbridge::daemon::pcsc {

class Context {
public:
    /// SCardEstablishContext (system scope); throws Error(PCSC_UNAVAILABLE) without pcscd.
    Context();
    ~Context();
    Context(Context&& other) noexcept;
    Context& operator=(Context&& other) noexcept;
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    SCARDCONTEXT get() const noexcept { return context_; }

    /// The readers pcscd knows now; empty (not an error) when there are none.
    std::vector<std::string> readers() const;

    /// Ends a SCardGetStatusChange in progress on this context with SCARD_E_CANCELLED.
    void cancel() const noexcept;

private:
    void release() noexcept;

    SCARDCONTEXT context_ = 0;
    bool valid_ = false;
};

}  // namespace cardbridge::daemon::pcsc
