#include "tokens/skf/skf_library.hpp"

#include <dlfcn.h>

#include <filesystem>

#include "tokens/skf/skf_error.hpp"
#include "tokens/skf/skf_names.hpp"

namespace cardbridge::daemon::tokens {
namespace {

constexpr std::size_t kMaxPathBytes = 4096;
// Device names are not bounded by the standard; vendors use product names and USB paths.
constexpr std::size_t kMaxDeviceNameBytes = 256;
constexpr skf::ULONG kProbePattern = 0xA5A5A5A5;

template <class Visit>
void for_each_symbol(SkfFunctions& f, Visit&& visit) {
    visit(f.EnumDev);
    visit(f.ConnectDev);
    visit(f.DisConnectDev);
    visit(f.GetDevInfo);
    visit(f.WaitForDevEvent);
    visit(f.CancelWaitForDevEvent);
    visit(f.LockDev);
    visit(f.UnlockDev);
    visit(f.EnumApplication);
    visit(f.OpenApplication);
    visit(f.CloseApplication);
    visit(f.GetPINInfo);
    visit(f.VerifyPIN);
    visit(f.ChangePIN);
    visit(f.ClearSecureState);
    visit(f.EnumContainer);
    visit(f.OpenContainer);
    visit(f.CloseContainer);
    visit(f.ExportCertificate);
    visit(f.ECCSignData);
    visit(f.RSASignData);
}

}  // namespace

void SkfLibrary::Unload::operator()(void* handle) const noexcept {
    if (handle != nullptr) dlclose(handle);
}

std::shared_ptr<const SkfLibrary> SkfLibrary::load(const std::string& path) {
    if (path.empty() || path.size() > kMaxPathBytes || path.find('\0') != std::string::npos)
        throw Error(Reason::NOT_SUPPORTED, "an SKF library path must be 1 to 4096 bytes");
    // dlopen searches the library path for a bare name; a configured module is a file.
    if (!std::filesystem::path(path).is_absolute())
        throw Error(Reason::NOT_SUPPORTED, "the SKF library path '" + path + "' is not absolute");
    dlerror();  // clear a stale message
    std::unique_ptr<void, Unload> handle(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL));
    if (!handle) {
        const char* why = dlerror();
        throw Error(Reason::NOT_SUPPORTED,
                    "cannot load the SKF library '" + path + "': " + (why ? why : "dlopen failed"));
    }
    std::shared_ptr<SkfLibrary> library(new SkfLibrary(path, std::move(handle)));
    library->resolve();
    library->probe_ulong_width();
    return library;
}

SkfLibrary::SkfLibrary(std::string path, std::unique_ptr<void, Unload> handle)
    : path_(std::move(path)),
      file_name_(std::filesystem::path(path_).filename().string()),
      handle_(std::move(handle)) {}

SkfLibrary::~SkfLibrary() = default;

void SkfLibrary::resolve() {
    std::string lacking;
    for_each_symbol(functions_, [&](auto& symbol) {
        using Function = std::remove_pointer_t<decltype(symbol.function)>;
        symbol.function = reinterpret_cast<Function*>(dlsym(handle_.get(), symbol.name));
        if (symbol.function == nullptr && symbol.essential)
            lacking += (lacking.empty() ? "" : ", ") + std::string(symbol.name);
    });
    if (!lacking.empty())
        throw Error(Reason::NOT_SUPPORTED, "'" + path_ +
                                               "' is not an SKF (GM/T 0016) library cardbridge "
                                               "can use: it lacks " +
                                               lacking);
}

// Every vendor header found declares ULONG as 32 bits on LP64 Linux. A module built with
// `unsigned long` would write 8 bytes through every ULONG*: a size query shows it, as the
// upper half of a two-word slot changes (notes §1.1).
void SkfLibrary::probe_ulong_width() const {
    alignas(8) skf::ULONG slot[2] = {kProbePattern, kProbePattern};
    {
        const std::lock_guard lock(mutex_);
        functions_.EnumDev.function(1, nullptr, slot);
    }
    if (slot[1] != kProbePattern)
        throw Error(Reason::NOT_SUPPORTED,
                    "'" + path_ +
                        "' writes 64-bit ULONG values (SKF_EnumDev changed 8 bytes), unlike "
                        "every GM/T 0016 vendor module: cardbridge refuses it rather than "
                        "misread its answers");
}

Error SkfLibrary::missing(const char* function) const {
    return Error(Reason::NOT_SUPPORTED,
                 std::string(function) + " is not in the SKF library '" + file_name_ + "'");
}

std::vector<std::string> SkfLibrary::present_devices() const {
    return read_name_list(
        functions_.EnumDev.name,
        [this](char* buffer, skf::ULONG* size) {
            return call<&SkfFunctions::EnumDev>(1ul, buffer, size);
        },
        kMaxDeviceNameBytes);
}

}  // namespace cardbridge::daemon::tokens
