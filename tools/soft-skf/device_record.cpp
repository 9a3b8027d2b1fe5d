#include "device_record.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base64.hpp"
#include "store_error.hpp"

namespace cardbridge::softskf {
namespace {

using nlohmann::json;

// Reads fields of one JSON object, naming the file and the field in every complaint.
class Fields {
public:
    Fields(const json& object, std::string_view source, std::string where)
        : object_(object), source_(source), where_(std::move(where)) {
        if (!object_.is_object()) fail("is not a JSON object");
    }

    const json& member(const char* key) const {
        const auto found = object_.find(key);
        if (found == object_.end()) fail(std::string("has no \"") + key + "\"");
        return *found;
    }
    std::string text(const char* key, std::size_t max_bytes) const {
        const json& value = member(key);
        if (!value.is_string()) fail(std::string("\"") + key + "\" is not a string");
        auto text = value.get<std::string>();
        if (text.size() > max_bytes || text.find('\0') != std::string::npos)
            fail(std::string("\"") + key + "\" is longer than " + std::to_string(max_bytes) +
                 " bytes or holds a NUL");
        return text;
    }
    std::uint64_t number(const char* key, std::uint64_t min, std::uint64_t max) const {
        const json& value = member(key);
        if (!value.is_number_unsigned() || value.get<std::uint64_t>() < min ||
            value.get<std::uint64_t>() > max)
            fail(std::string("\"") + key + "\" is not a whole number in " + std::to_string(min) +
                 ".." + std::to_string(max));
        return value.get<std::uint64_t>();
    }
    bool flag(const char* key, std::optional<bool> fallback = std::nullopt) const {
        if (fallback && !object_.contains(key)) return *fallback;
        const json& value = member(key);
        if (!value.is_boolean()) fail(std::string("\"") + key + "\" is not true or false");
        return value.get<bool>();
    }
    Fields child(const char* key) const { return Fields(member(key), source_, where_ + "." + key); }
    std::optional<Fields> optional_child(const char* key) const {
        if (!object_.contains(key)) return std::nullopt;
        return child(key);
    }
    const json& object() const noexcept { return object_; }
    std::string_view source() const noexcept { return source_; }
    const std::string& where() const noexcept { return where_; }

    [[noreturn]] void fail(const std::string& what) const {
        throw StoreError(std::string(source_) + ": " + where_ + " " + what);
    }

private:
    const json& object_;
    std::string_view source_;
    std::string where_;
};

bool is_hex(const std::string& text, std::size_t size) {
    return text.size() == size && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

PinRecord pin_from(const Fields& fields) {
    PinRecord pin;
    pin.salt = fields.text("salt", 32);
    pin.hash = fields.text("hash", 64);
    if (!is_hex(pin.salt, 32) || !is_hex(pin.hash, 64))
        fields.fail("\"salt\" / \"hash\" are not 32 / 64 lower-case hex digits");
    pin.max_retries = static_cast<std::uint32_t>(fields.number("maxRetries", 1, kMaxPinRetries));
    pin.retries_left = static_cast<std::uint32_t>(fields.number("retriesLeft", 0, pin.max_retries));
    pin.is_default = fields.flag("default", false);
    return pin;
}

KeyPair key_pair_from(const Fields& fields) {
    KeyPair pair;
    pair.key_pem = fields.text("key", kMaxKeyPemBytes);
    auto certificate = base64_decode(fields.text("certificate", kMaxCertificateBytes * 4 / 3 + 4));
    if (!certificate || certificate->empty() || certificate->size() > kMaxCertificateBytes)
        fields.fail("\"certificate\" is not base64 of 1.." + std::to_string(kMaxCertificateBytes) +
                    " bytes");
    pair.certificate = std::move(*certificate);
    return pair;
}

template <typename Parse>
auto named_members(const Fields& fields, Parse parse) {
    std::map<std::string, decltype(parse(fields))> members;
    for (const auto& [name, value] : fields.object().items()) {
        if (!valid_object_name(name)) fields.fail("has an invalid name \"" + name + "\"");
        members.emplace(name, parse(Fields(value, fields.source(), fields.where() + "." + name)));
    }
    return members;
}

ContainerRecord container_from(const Fields& fields) {
    ContainerRecord container;
    if (auto sign = fields.optional_child("sign")) container.sign = key_pair_from(*sign);
    if (auto encrypt = fields.optional_child("encrypt"))
        container.encrypt = key_pair_from(*encrypt);
    return container;
}

ApplicationRecord application_from(const Fields& fields) {
    ApplicationRecord application;
    application.user_pin = pin_from(fields.child("userPin"));
    application.admin_pin = pin_from(fields.child("adminPin"));
    application.containers = named_members(fields.child("containers"), container_from);
    return application;
}

json pin_to_json(const PinRecord& pin) {
    return {{"salt", pin.salt},
            {"hash", pin.hash},
            {"maxRetries", pin.max_retries},
            {"retriesLeft", pin.retries_left},
            {"default", pin.is_default}};
}

json key_pair_to_json(const KeyPair& pair) {
    return {{"key", pair.key_pem}, {"certificate", base64_encode(pair.certificate)}};
}

}  // namespace

bool valid_device_name(std::string_view name) noexcept {
    return !name.empty() && name.size() <= kMaxNameBytes && name.front() != '.' &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
           });
}

bool valid_object_name(std::string_view name) noexcept {
    return !name.empty() && name.size() <= kMaxNameBytes &&
           std::all_of(name.begin(), name.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

DeviceRecord device_from_json(const json& document, std::string_view source) {
    const Fields fields(document, source, "device");
    DeviceRecord device;
    device.name = fields.text("name", kMaxNameBytes);
    if (!valid_device_name(device.name)) fields.fail("\"name\" is not a valid device name");
    device.label = fields.text("label", kMaxLabelBytes);
    device.serial = fields.text("serial", kMaxSerialBytes);
    device.manufacturer = fields.text("manufacturer", 63);
    device.issuer = fields.object().contains("issuer") ? fields.text("issuer", 63) : "";
    device.present = fields.flag("present");
    device.insertion =
        fields.object().contains("insertion") ? fields.number("insertion", 0, UINT64_MAX / 2) : 0;
    device.applications = named_members(fields.child("applications"), application_from);
    return device;
}

json device_to_json(const DeviceRecord& device) {
    json applications = json::object();
    for (const auto& [name, application] : device.applications) {
        json containers = json::object();
        for (const auto& [container_name, container] : application.containers) {
            json entry = json::object();
            if (container.sign) entry["sign"] = key_pair_to_json(*container.sign);
            if (container.encrypt) entry["encrypt"] = key_pair_to_json(*container.encrypt);
            containers[container_name] = std::move(entry);
        }
        applications[name] = {{"userPin", pin_to_json(application.user_pin)},
                              {"adminPin", pin_to_json(application.admin_pin)},
                              {"containers", std::move(containers)}};
    }
    return {{"name", device.name},           {"label", device.label},
            {"serial", device.serial},       {"manufacturer", device.manufacturer},
            {"issuer", device.issuer},       {"present", device.present},
            {"insertion", device.insertion}, {"applications", std::move(applications)}};
}

}  // namespace cardbridge::softskf
