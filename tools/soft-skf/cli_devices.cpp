// `plug`, `unplug`, `remove`, `list` and `show`: what a tester does to a USB key by hand.

#include <nlohmann/json.hpp>

#include "cli_certificate.hpp"
#include "cli_commands.hpp"
#include "device_store.hpp"
#include "key_material.hpp"
#include "store_error.hpp"

namespace cardbridge::softskf::cli {
namespace {

using json = nlohmann::ordered_json;  // keeps the fields in the order a reader expects

DeviceRecord existing_device(const Options& options) {
    const std::string& name = options.arguments.at(0);
    if (!valid_device_name(name)) throw UsageError("\"" + name + "\" is not a device name");
    auto device = read_device(options.store, name);
    if (!device) throw StoreError(device_file(options.store, name).string() + ": no such device");
    return std::move(*device);
}

json pin_json(const PinRecord& pin) {
    return {{"retriesLeft", pin.retries_left},
            {"maxRetries", pin.max_retries},
            {"default", pin.is_default}};
}

json key_pair_json(const KeyPair& pair, const std::string& source) {
    const PrivateKey key = load_private_key(pair.key_pem, source);
    const Certificate certificate = parse_certificate(pair.certificate, source);
    const std::string type = key.type == KeyType::SM2
                                 ? "SM2"
                                 : "RSA-" + std::to_string(EVP_PKEY_get_bits(key.key.get()));
    return {{"keyType", type}, {"subject", certificate_subject(*certificate.x509)}};
}

json container_json(const ContainerRecord& container, const std::string& source) {
    json entry = json::object();
    if (container.sign) entry["sign"] = key_pair_json(*container.sign, source + " sign");
    if (container.encrypt)
        entry["encrypt"] = key_pair_json(*container.encrypt, source + " encrypt");
    return entry;
}

}  // namespace

void set_presence(const Options& options, bool present) {
    const StoreLock lock(options.store);
    DeviceRecord device = existing_device(options);
    if (device.present == present) return;
    device.present = present;
    // A new insertion: handles from before the unplug stay dead (README.md, "Device events").
    if (present) ++device.insertion;
    write_device(options.store, device);
}

void remove_device(const Options& options) {
    const StoreLock lock(options.store);
    const DeviceRecord device = existing_device(options);
    remove_device_file(options.store, device.name);
}

void list_devices(const Options& options, std::ostream& out) {
    for (const std::string& name : device_names(options.store)) {
        try {
            const auto device = read_device(options.store, name);
            if (device) out << name << (device->present ? " present\n" : " absent\n");
        } catch (const StoreError& error) {
            out << name << " broken (" << error.what() << ")\n";
        }
    }
}

void show_device(const Options& options, std::ostream& out) {
    const DeviceRecord device = existing_device(options);
    json applications = json::object();
    for (const auto& [name, application] : device.applications) {
        json containers = json::object();
        for (const auto& [container_name, container] : application.containers)
            containers[container_name] =
                container_json(container, device.name + "/" + name + "/" + container_name);
        applications[name] = {{"userPin", pin_json(application.user_pin)},
                              {"adminPin", pin_json(application.admin_pin)},
                              {"containers", std::move(containers)}};
    }
    const json shown = {{"name", device.name},
                        {"serial", device.serial},
                        {"label", device.label},
                        {"present", device.present},
                        {"applications", std::move(applications)}};
    out << shown.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace cardbridge::softskf::cli
