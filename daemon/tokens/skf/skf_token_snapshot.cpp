// What an SKF token is and holds: DEVINFO for its identity, then every application's
// containers and their certificates (GM/T 0016 §7.3, §7.5).
#include <array>

#include "log.hpp"
#include "tokens/skf/skf_device_info.hpp"
#include "tokens/skf/skf_error.hpp"
#include "tokens/skf/skf_names.hpp"
#include "tokens/skf/skf_token.hpp"

namespace cardbridge::daemon::tokens {
namespace {

// Caps on what a module may make us read: E-Port keys hold one application with one or two
// containers; the standard bounds container names at 64 bytes (application names at 16).
constexpr std::size_t kMaxApplications = 16;
constexpr std::size_t kMaxContainers = 16;
constexpr std::size_t kMaxNameBytes = 64;
constexpr std::size_t kMaxCertificateBytes = 16 * 1024;

std::vector<std::string> first(std::vector<std::string> names, std::size_t count) {
    if (names.size() > count) names.resize(count);
    return names;
}

}  // namespace

const TokenSnapshot& SkfToken::snapshot() {
    if (!snapshot_) snapshot_ = guarded([this] { return read_snapshot(); });
    return *snapshot_;
}

TokenSnapshot SkfToken::read_snapshot() {
    places_.clear();
    void* dev = device();
    SkfDeviceInfo info;
    if (library_->has<&SkfFunctions::GetDevInfo>()) {
        // Larger than either DEVINFO layout and zeroed, so the text fields end inside it.
        alignas(8) std::array<std::uint8_t, kDevInfoBufferBytes> buffer{};
        const skf::ULONG result = library_->call<&SkfFunctions::GetDevInfo>(
            dev, reinterpret_cast<skf::DEVINFO*>(buffer.data()));
        if (result == skf::SAR_OK)
            info = parse_device_info(buffer);
        else if (result == skf::SAR_DEVICE_REMOVED || result == skf::SAR_INVALIDHANDLEERR)
            fail("SKF_GetDevInfo", result);
        // Otherwise the key is still usable; it is known by its device name instead.
    }

    TokenSnapshot snapshot;
    snapshot.type = "skf";
    const std::string& serial = info.serial.empty() ? device_name_ : info.serial;
    snapshot.id = "skf:" + serial;
    snapshot.card_id = serial;
    const auto enumerate = [&](char* buffer, skf::ULONG* size) {
        const skf::ULONG result =
            library_->call<&SkfFunctions::EnumApplication>(device(), buffer, size);
        if (result == skf::SAR_DEVICE_REMOVED || result == skf::SAR_INVALIDHANDLEERR)
            handles_dead_ = true;
        return result;
    };
    application_names_ =
        first(read_name_list("SKF_EnumApplication", enumerate, kMaxNameBytes), kMaxApplications);
    for (const std::string& name : application_names_) read_containers(name, snapshot);
    fill_identity(snapshot, info.label.empty() ? device_name_ : info.label);
    return snapshot;
}

void SkfToken::read_containers(const std::string& application_name, TokenSnapshot& snapshot) {
    void* app = application(application_name);
    const auto enumerate = [&](char* buffer, skf::ULONG* size) {
        const skf::ULONG result = library_->call<&SkfFunctions::EnumContainer>(app, buffer, size);
        if (result == skf::SAR_DEVICE_REMOVED || result == skf::SAR_INVALIDHANDLEERR)
            handles_dead_ = true;
        return result;
    };
    const std::vector<std::string> names =
        first(read_name_list("SKF_EnumContainer", enumerate, kMaxNameBytes), kMaxContainers);
    for (const std::string& container_name : names) {
        void* handle = nullptr;
        try {
            handle = container(KeyPlace{application_name, container_name, true});
        } catch (const Error& e) {
            if (handles_dead_) throw;
            // One broken container must not hide the others.
            log(LogLevel::warning, "SKF container '" + application_name + "/" + container_name +
                                       "' on " + reader_ + " skipped: " + e.what());
            continue;
        }
        for (const bool signing : {true, false}) {
            std::vector<std::uint8_t> der(kMaxCertificateBytes);
            skf::ULONG size = static_cast<skf::ULONG>(der.size());
            const skf::ULONG result = library_->call<&SkfFunctions::ExportCertificate>(
                handle, signing ? 1ul : 0ul, der.data(), &size);
            if (result == skf::SAR_DEVICE_REMOVED || result == skf::SAR_INVALIDHANDLEERR)
                fail("SKF_ExportCertificate", result);
            const std::string key =
                application_name + "/" + container_name + (signing ? "" : "/enc");
            if (result == skf::SAR_BUFFER_TOO_SMALL || size > der.size()) {
                log(LogLevel::warning,
                    "SKF key '" + key + "' on " + reader_ + ": certificate over 16 KiB, skipped");
                continue;
            }
            // Any other failure is how modules say the container has no such certificate.
            if (result != skf::SAR_OK || size == 0) continue;
            der.resize(size);
            try {
                snapshot.certificates.push_back(certificate_info(
                    key, signing ? KeyUsage::SIGN : KeyUsage::ENVELOPE, false, der));
                places_[key] = KeyPlace{application_name, container_name, signing};
            } catch (const Error& e) {
                log(LogLevel::warning, "SKF key '" + key + "' on " + reader_ +
                                           ": unreadable certificate skipped: " + e.what());
            }
        }
    }
}

}  // namespace cardbridge::daemon::tokens
