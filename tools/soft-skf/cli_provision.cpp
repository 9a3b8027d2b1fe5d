// `create` and `import`: a new device with its PINs, and key pairs with their certificates.

#include <charconv>

#include "cli_certificate.hpp"
#include "cli_commands.hpp"
#include "device_store.hpp"
#include "key_material.hpp"
#include "pin_hash.hpp"
#include "store_error.hpp"

namespace cardbridge::softskf::cli {
namespace {

constexpr const char* kDefaultApplication = "EPORT";

std::string device_argument(const Options& options) {
    const std::string& name = options.arguments.at(0);
    if (!valid_device_name(name))
        throw UsageError("device name \"" + name +
                         "\": 1-64 of A-Z a-z 0-9 . _ - and not starting with '.'");
    return name;
}

std::string checked_text(const std::string& option, std::string value, std::size_t max_bytes) {
    if (value.empty() || value.size() > max_bytes)
        throw UsageError("--" + option + ": 1 to " + std::to_string(max_bytes) + " bytes");
    return value;
}

std::string pin_option(const Options& options, const std::string& option, const char* fallback) {
    std::string pin = options.value_or(option, fallback);
    if (!valid_pin_length(pin))
        throw UsageError("--" + option + ": a PIN has " + std::to_string(kMinPinBytes) + " to " +
                         std::to_string(kMaxPinBytes) + " characters");
    return pin;
}

std::uint32_t retries_option(const Options& options) {
    const std::string text = options.value_or("retries", "3");
    std::uint32_t retries = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), retries);
    if (error != std::errc() || end != text.data() + text.size() || retries < 1 ||
        retries > kMaxPinRetries)
        throw UsageError("--retries: a number from 1 to " + std::to_string(kMaxPinRetries));
    return retries;
}

std::string object_name_option(const std::string& option, const std::string& value) {
    if (!valid_object_name(value))
        throw UsageError("--" + option + " \"" + value + "\": 1-64 printable ASCII characters");
    return value;
}

// A key file and its certificate, checked to belong together.
KeyPair key_pair(const std::string& key_file, const std::string& certificate_file, KeyType& type) {
    const auto pem = read_file(key_file, kMaxKeyPemBytes);
    PrivateKey key = load_private_key(pem, key_file);
    const Certificate certificate = load_certificate(certificate_file);
    if (!key_matches_certificate(*key.key, *certificate.x509))
        throw StoreError(key_file + ": is not the key of the certificate in " + certificate_file);
    type = key.type;
    return {pkcs8_pem(*key.key), certificate.der};
}

}  // namespace

void create_device(const Options& options) {
    DeviceRecord device;
    device.name = device_argument(options);
    device.serial = checked_text("serial", *options.value("serial"), kMaxSerialBytes);
    device.label = checked_text(
        "label", options.value_or("label", device.name.substr(0, kMaxLabelBytes)), kMaxLabelBytes);
    const std::string application =
        object_name_option("application", options.value_or("application", kDefaultApplication));
    const std::uint32_t retries = retries_option(options);
    ApplicationRecord record;
    record.user_pin = make_pin(pin_option(options, "user-pin", "88888888"), retries);
    record.admin_pin = make_pin(pin_option(options, "admin-pin", "12345678"), retries);
    device.applications.emplace(application, std::move(record));

    std::error_code error;
    std::filesystem::create_directories(options.store, error);
    if (error) throw StoreError(options.store.string() + ": cannot create: " + error.message());
    const StoreLock lock(options.store);
    if (std::filesystem::exists(device_file(options.store, device.name)))
        throw StoreError(device_file(options.store, device.name).string() + ": device \"" +
                         device.name + "\" already exists");
    write_device(options.store, device);
}

void import_keys(const Options& options) {
    const std::string name = device_argument(options);
    const std::string container = object_name_option("container", *options.value("container"));
    const auto enc_key = options.value("enc-key");
    const auto enc_cert = options.value("enc-cert");
    if (enc_key.has_value() != enc_cert.has_value())
        throw UsageError("--enc-key and --enc-cert go together");

    ContainerRecord keys;
    KeyType sign_type{};
    keys.sign = key_pair(*options.value("sign-key"), *options.value("sign-cert"), sign_type);
    if (enc_key) {
        KeyType encrypt_type{};
        keys.encrypt = key_pair(*enc_key, *enc_cert, encrypt_type);
        if (encrypt_type != sign_type)
            throw StoreError(*enc_key + ": a container holds keys of one kind (SM2 or RSA)");
    }

    const StoreLock lock(options.store);
    auto device = read_device(options.store, name);
    if (!device) throw StoreError(device_file(options.store, name).string() + ": no such device");
    std::string application = options.value_or("application", "");
    if (application.empty()) {
        if (device->applications.size() != 1)
            throw UsageError("device \"" + name +
                             "\" has several applications: give --application");
        application = device->applications.begin()->first;
    }
    const auto found = device->applications.find(application);
    if (found == device->applications.end())
        throw StoreError("device \"" + name + "\" has no application \"" + application + "\"");
    // The container is made anew, so it never mixes an old key of another kind with new ones.
    found->second.containers[container] = std::move(keys);
    write_device(options.store, *device);
}

}  // namespace cardbridge::softskf::cli
