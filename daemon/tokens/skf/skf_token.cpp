// An SKF token's handles: opened on demand, all dropped when the module says the key has gone
// (or that a handle is no longer valid, which some modules answer after a replug), so the next
// call starts from SKF_ConnectDev.
#include "tokens/skf/skf_token.hpp"

#include <algorithm>
#include <vector>

#include "tokens/skf/skf_error.hpp"

namespace cardbridge::daemon::tokens {
namespace {

bool kills_handles(skf::ULONG result) {
    return result == skf::SAR_DEVICE_REMOVED || result == skf::SAR_INVALIDHANDLEERR;
}

}  // namespace

std::string skf_reader_name(const SkfLibrary& library, const std::string& device_name) {
    return library.file_name() + " " + device_name;
}

SkfToken::SkfToken(std::shared_ptr<const SkfLibrary> library, std::string device_name)
    : library_(std::move(library)),
      device_name_(std::move(device_name)),
      reader_(skf_reader_name(*library_, device_name_)) {}

SkfToken::~SkfToken() {
    forget();
}

void SkfToken::fail(const char* call, skf::ULONG result, std::optional<skf::ULONG> retries) {
    if (kills_handles(result)) handles_dead_ = true;
    throw skf_error(call, result, retries);
}

void SkfToken::check(const char* call, skf::ULONG result) {
    if (result != skf::SAR_OK) fail(call, result);
}

void* SkfToken::device() {
    if (device_) return device_.get();
    const skf::ULONG result = connect_device(library_, device_name_, device_);
    if (result == skf::SAR_OK) return device_.get();
    if (result == skf::SAR_DEVICE_REMOVED) fail("SKF_ConnectDev", result);
    // Modules answer a connection to an absent device with all sorts of codes; whether the
    // device is still listed is the one answer they agree on. (Listing only then: a module
    // may take an EnumDev as the point its device events count from, and the monitor's
    // SKF_WaitForDevEvent must not lose the removal to this call.)
    bool listed = true;
    try {
        const std::vector<std::string> present = library_->present_devices();
        listed = std::find(present.begin(), present.end(), device_name_) != present.end();
    } catch (const Error&) {
        // The module's own answer below says more than a failed listing.
    }
    if (!listed)
        throw Error(Reason::CARD_REMOVED, "the USB key '" + device_name_ + "' was removed");
    fail("SKF_ConnectDev", result);
}

void* SkfToken::application(const std::string& name) {
    if (const auto found = applications_.find(name); found != applications_.end())
        return found->second.get();
    device();
    SkfApplication opened;
    check("SKF_OpenApplication", open_application(library_, device_, name, opened));
    return applications_.emplace(name, std::move(opened)).first->second.get();
}

void* SkfToken::container(const KeyPlace& place) {
    const std::string key = place.application + "/" + place.container;
    if (const auto found = containers_.find(key); found != containers_.end())
        return found->second.get();
    application(place.application);
    SkfContainer opened;
    check("SKF_OpenContainer",
          open_container(library_, applications_.at(place.application), place.container, opened));
    return containers_.emplace(key, std::move(opened)).first->second.get();
}

void SkfToken::drop_handles() noexcept {
    // Containers before their applications, applications before their device.
    containers_.clear();
    applications_.clear();
    device_.reset();
    verified_.clear();  // closing the application ended its security state
    handles_dead_ = false;
}

void SkfToken::forget() noexcept {
    // Closing an application ends its security state by the standard (§7.2), but some keys
    // keep a verified PIN until told otherwise; the daemon forgetting means the PIN must go.
    if (library_->has<&SkfFunctions::ClearSecureState>()) {
        for (const std::string& name : verified_) {
            const auto found = applications_.find(name);
            if (found == applications_.end()) continue;
            try {
                library_->call<&SkfFunctions::ClearSecureState>(found->second.get());
            } catch (...) {
                // The call exists (has() said so); nothing else throws.
            }
        }
    }
    drop_handles();
    places_.clear();
    snapshot_.reset();
}

}  // namespace cardbridge::daemon::tokens
