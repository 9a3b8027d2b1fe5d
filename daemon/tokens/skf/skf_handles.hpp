#pragma once
// Owners of the SKF handles a token opens: a device (SKF_ConnectDev → SKF_DisConnectDev), an
// application (SKF_OpenApplication → SKF_CloseApplication) and a container (SKF_OpenContainer
// → SKF_CloseContainer). Each keeps its library loaded while it is open. Closing ignores the
// module's answer: a handle is closed when its key has gone too, and the module may say so.

#include <memory>
#include <string>
#include <utility>

#include "tokens/skf/skf_library.hpp"

namespace cardbridge::daemon::tokens {

template <auto Close>
class SkfHandle {
public:
    SkfHandle() noexcept = default;
    SkfHandle(std::shared_ptr<const SkfLibrary> library, void* handle) noexcept
        : library_(std::move(library)), handle_(handle) {}
    SkfHandle(SkfHandle&& other) noexcept
        : library_(std::move(other.library_)), handle_(std::exchange(other.handle_, nullptr)) {}
    SkfHandle& operator=(SkfHandle&& other) noexcept {
        if (this != &other) {
            reset();
            library_ = std::move(other.library_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    SkfHandle(const SkfHandle&) = delete;
    SkfHandle& operator=(const SkfHandle&) = delete;
    ~SkfHandle() { reset(); }

    void* get() const noexcept { return handle_; }
    explicit operator bool() const noexcept { return handle_ != nullptr; }

    void reset() noexcept {
        if (handle_ == nullptr) return;
        try {
            library_->template call<Close>(std::exchange(handle_, nullptr));
        } catch (...) {
            // Only a missing function throws, and the close functions are essential.
        }
    }

private:
    std::shared_ptr<const SkfLibrary> library_;
    void* handle_ = nullptr;
};

using SkfDevice = SkfHandle<&SkfFunctions::DisConnectDev>;
using SkfApplication = SkfHandle<&SkfFunctions::CloseApplication>;
using SkfContainer = SkfHandle<&SkfFunctions::CloseContainer>;

/// The opening calls, returning the module's answer; `out` holds the handle after SAR_OK. A
/// module that answers SAR_OK without a handle gets SAR_FAIL.
skf::ULONG connect_device(const std::shared_ptr<const SkfLibrary>& library,
                          const std::string& device_name, SkfDevice& out);
skf::ULONG open_application(const std::shared_ptr<const SkfLibrary>& library,
                            const SkfDevice& device, const std::string& name, SkfApplication& out);
skf::ULONG open_container(const std::shared_ptr<const SkfLibrary>& library,
                          const SkfApplication& application, const std::string& name,
                          SkfContainer& out);

}  // namespace cardbridge::daemon::tokens
