#include "tokens/pkcs11/pkcs11_module.hpp"

#include <p11-kit/p11-kit.h>

#include <filesystem>
#include <mutex>
#include <utility>

#include "log.hpp"
#include "tokens/pkcs11/pkcs11_error.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {

Module::Module(CK_FUNCTION_LIST* functions, std::string path) noexcept
    : functions_(functions),
      path_(std::move(path)),
      file_name_(std::filesystem::path(path_).filename().string()) {}

Module::~Module() {
    finalize();
    p11_kit_module_release(functions_);
}

void Module::initialize() {
    std::unique_lock lock(mutex_);
    if (initialized_ || finalized_) return;
    const CK_RV rv = p11_kit_module_initialize(functions_);
    if (rv != CKR_OK) throw make_error("C_Initialize", rv);
    initialized_ = true;
}

CK_RV Module::wait_for_slot_event(CK_FLAGS flags, CK_SLOT_ID& slot) const {
    {
        std::shared_lock lock(mutex_);
        if (!initialized_) return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    // Outside the gate, or finalize() would wait for the next slot event; the monitor keeps
    // finalize() away from a module one of its threads waits in.
    return functions_->C_WaitForSlotEvent(flags, &slot, nullptr);
}

void Module::finalize() noexcept {
    std::unique_lock lock(mutex_);
    const bool was_initialized = std::exchange(initialized_, false);
    finalized_ = true;
    if (!was_initialized) return;
    // p11-kit closes the sessions this module's users left open, then calls C_Finalize.
    const CK_RV rv = p11_kit_module_finalize(functions_);
    if (rv != CKR_OK)
        log(LogLevel::warning,
            "PKCS#11 module " + file_name_ + ": C_Finalize: " + p11_kit_strerror(rv));
}

Session::Session(std::shared_ptr<const Module> module, CK_SLOT_ID slot, bool read_write)
    : module_(std::move(module)) {
    const CK_FLAGS flags = CKF_SERIAL_SESSION | (read_write ? CKF_RW_SESSION : 0);
    check("C_OpenSession", module_->call([&](const CK_FUNCTION_LIST& f) {
        return f.C_OpenSession(slot, flags, nullptr, nullptr, &handle_);
    }));
    open_ = true;
}

Session::~Session() {
    close();
}

Session::Session(Session&& other) noexcept
    : module_(std::move(other.module_)),
      handle_(other.handle_),
      open_(std::exchange(other.open_, false)) {}

Session& Session::operator=(Session&& other) noexcept {
    if (this != &other) {
        close();
        module_ = std::move(other.module_);
        handle_ = other.handle_;
        open_ = std::exchange(other.open_, false);
    }
    return *this;
}

void Session::close() noexcept {
    if (!std::exchange(open_, false)) return;
    // Fails when the token went or the module was finalized (which closed it): nothing to do.
    module_->call([this](const CK_FUNCTION_LIST& f) { return f.C_CloseSession(handle_); });
}

}  // namespace cardbridge::daemon::tokens::pkcs11
