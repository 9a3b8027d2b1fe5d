#pragma once
// One loaded PKCS#11 module and the sessions opened on it. The module is shared (by
// shared_ptr) between its monitor and every token made for its slots, and the monitor
// finalizes it on stop() while tokens may still hold it: so every call goes through call(),
// which refuses once finalize() has run, and finalize() waits until the calls in progress have
// returned (PKCS#11 v2.40 §5.4 leaves C_Finalize undefined while other threads are in the
// module). C_WaitForSlotEvent, which blocks, stays outside that gate; the monitor never
// finalizes a module while one of its threads waits in it (pkcs11/monitor_core.hpp).

#include <p11-kit/pkcs11.h>

#include <memory>
#include <shared_mutex>
#include <string>

namespace cardbridge::daemon::tokens::pkcs11 {

class Module {
public:
    /// Takes over `functions` as p11_kit_module_load or p11_kit_modules_load returned it
    /// (managed, not yet initialized); `path` is the file it was loaded from.
    Module(CK_FUNCTION_LIST* functions, std::string path) noexcept;
    /// finalize(), then p11_kit_module_release: the function list is gone after this.
    ~Module();
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    /// p11_kit_module_initialize: p11-kit passes CKF_OS_LOCKING_OK, which the monitor's threads
    /// and the tokens' workers need. Error with the module's own reason on failure.
    void initialize();

    const std::string& path() const noexcept { return path_; }
    /// "libsofthsm2.so": what the reader names of its slots start with.
    const std::string& file_name() const noexcept { return file_name_; }

    /// `call(const CK_FUNCTION_LIST&)` while the module is initialized; afterwards
    /// CKR_CRYPTOKI_NOT_INITIALIZED without touching the module.
    template <class F>
    CK_RV call(F&& call) const {
        std::shared_lock lock(mutex_);
        if (!initialized_) return CKR_CRYPTOKI_NOT_INITIALIZED;
        return call(*functions_);
    }

    /// C_WaitForSlotEvent outside the gate (above): with flags 0 it blocks until a slot event.
    /// The caller must not let finalize() run meanwhile.
    CK_RV wait_for_slot_event(CK_FLAGS flags, CK_SLOT_ID& slot) const;

    /// p11_kit_module_finalize, once; later calls fail cleanly. Waits for calls in progress.
    void finalize() noexcept;

private:
    CK_FUNCTION_LIST* functions_;  // owned: released in the destructor
    std::string path_;
    std::string file_name_;
    mutable std::shared_mutex mutex_;
    bool initialized_ = false;  // guarded by mutex_; never true again after finalize()
    bool finalized_ = false;
};

/// A session on one slot, closed when it goes (errors ignored: the token may be gone).
class Session {
public:
    /// C_OpenSession, serial and optionally read-write; Error when it fails.
    Session(std::shared_ptr<const Module> module, CK_SLOT_ID slot, bool read_write);
    ~Session();
    Session(Session&& other) noexcept;
    Session& operator=(Session&& other) noexcept;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    CK_SESSION_HANDLE handle() const noexcept { return handle_; }
    const Module& module() const noexcept { return *module_; }

    /// `call(functions, handle)` through Module::call.
    template <class F>
    CK_RV call(F&& call) const {
        return module_->call(
            [&](const CK_FUNCTION_LIST& functions) { return call(functions, handle_); });
    }

private:
    void close() noexcept;

    std::shared_ptr<const Module> module_;
    CK_SESSION_HANDLE handle_ = CK_INVALID_HANDLE;
    bool open_ = false;
};

}  // namespace cardbridge::daemon::tokens::pkcs11
