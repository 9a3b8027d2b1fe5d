#include "device_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <nlohmann/json.hpp>

#include "store_error.hpp"

namespace cardbridge::softskf {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSuffix = ".json";

[[noreturn]] void fail_errno(const fs::path& file, const char* what) {
    throw StoreError(file.string() + ": " + what + ": " + std::strerror(errno));
}

std::string read_capped(int fd, const fs::path& file) {
    std::string text;
    char chunk[16384];
    for (;;) {
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) fail_errno(file, "read");
        if (got == 0) return text;
        text.append(chunk, static_cast<std::size_t>(got));
        if (text.size() > kMaxDeviceFileBytes)
            throw StoreError(file.string() + ": larger than " +
                             std::to_string(kMaxDeviceFileBytes) + " bytes");
    }
}

void write_all(int fd, std::string_view text, const fs::path& file) {
    while (!text.empty()) {
        const ssize_t put = ::write(fd, text.data(), text.size());
        if (put < 0 && errno == EINTR) continue;
        if (put < 0) fail_errno(file, "write");
        text.remove_prefix(static_cast<std::size_t>(put));
    }
}

}  // namespace

std::optional<fs::path> store_from_environment() {
    const char* value = std::getenv(kStoreEnvironment);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return fs::path(value);
}

fs::path device_file(const fs::path& store, std::string_view name) {
    return store / (std::string(name) + std::string(kSuffix));
}

std::optional<DeviceRecord> read_device(const fs::path& store, std::string_view name) {
    const fs::path file = device_file(store, name);
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd && errno == ENOENT) return std::nullopt;
    if (!fd) fail_errno(file, "open");
    const std::string text = read_capped(fd.get(), file);
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& error) {
        throw StoreError(file.string() + ": not JSON: " + error.what());
    }
    DeviceRecord device = device_from_json(document, file.string());
    if (device.name != name)
        throw StoreError(file.string() + ": holds device \"" + device.name + "\", not \"" +
                         std::string(name) + "\"");
    return device;
}

void write_device(const fs::path& store, const DeviceRecord& device) {
    const fs::path file = device_file(store, device.name);
    std::string text;
    try {
        text = device_to_json(device).dump(2) + "\n";
    } catch (const nlohmann::json::exception& error) {  // e.g. a label that is not UTF-8
        throw StoreError(file.string() + ": cannot encode: " + error.what());
    }
    // A leading dot keeps the temporary out of device_names() and the library's scans.
    std::string temporary = (store / ("." + device.name + ".json.XXXXXX")).string();
    UniqueFd fd(::mkostemp(temporary.data(), O_CLOEXEC));
    if (!fd) fail_errno(temporary, "create");
    try {
        write_all(fd.get(), text, temporary);
        if (::fsync(fd.get()) != 0) fail_errno(temporary, "fsync");
        if (::rename(temporary.c_str(), file.c_str()) != 0) fail_errno(file, "rename");
    } catch (...) {
        ::unlink(temporary.c_str());
        throw;
    }
}

void remove_device_file(const fs::path& store, std::string_view name) {
    const fs::path file = device_file(store, name);
    if (::unlink(file.c_str()) != 0 && errno != ENOENT) fail_errno(file, "remove");
}

std::vector<std::string> device_names(const fs::path& store) {
    std::vector<std::string> names;
    std::error_code error;
    for (fs::directory_iterator it(store, error), end; !error && it != end; it.increment(error)) {
        const std::string file = it->path().filename().string();
        if (file.size() <= kSuffix.size() || !file.ends_with(kSuffix)) continue;
        std::string name = file.substr(0, file.size() - kSuffix.size());
        if (valid_device_name(name)) names.push_back(std::move(name));
    }
    std::sort(names.begin(), names.end());
    return names;
}

StoreLock::StoreLock(const fs::path& store) {
    const fs::path file = store / ".lock";
    // Opened read-only: closing it then raises no IN_CLOSE_WRITE for the device watchers.
    fd_ = UniqueFd(::open(file.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600));
    if (!fd_) fail_errno(file, "open lock");
    while (::flock(fd_.get(), LOCK_EX) != 0)
        if (errno != EINTR) fail_errno(file, "lock");
}

}  // namespace cardbridge::softskf
