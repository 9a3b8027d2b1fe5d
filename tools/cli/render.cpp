#include "render.hpp"

#include <map>
#include <optional>

namespace cardbridge::cli {
namespace {

using protocol::Json;

std::optional<std::string> text_at(const Json& object, const char* key) {
    if (!object.is_object()) return std::nullopt;
    auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

const Json& object_at(const Json& object, const char* key) {
    static const Json kNone = Json::object();
    auto it = object.is_object() ? object.find(key) : object.end();
    return it != object.end() && it->is_object() ? *it : kNone;
}

// The message for a wire value, or the value itself when this build has no words for it.
std::string named(Language language, const std::optional<std::string>& value,
                  const std::map<std::string_view, Msg>& names) {
    if (!value) return {};
    auto found = names.find(*value);
    return found == names.end() ? *value : message(language, found->second);
}

void add_line(std::string& out, Language language, Msg label,
              const std::optional<std::string>& value) {
    if (value && !value->empty()) out += message(language, label) + ": " + *value + "\n";
}

std::string pin_state(const Json& pin, Language language) {
    if (pin.value("blocked", false)) return message(language, Msg::pin_blocked);
    auto retries = pin.find("retriesLeft");
    if (retries != pin.end() && retries->is_number_integer())
        return message(language, Msg::retries_left, {std::to_string(retries->get<int>())});
    return message(language, Msg::pin_unknown);
}

std::string certificate_lines(const Json& cert, Language language) {
    static const std::map<std::string_view, Msg> kUsages{{"login", Msg::usage_login},
                                                         {"sign", Msg::usage_sign},
                                                         {"envelope", Msg::usage_envelope},
                                                         {"card-auth", Msg::usage_card_auth}};
    std::string out =
        "  " + text_at(cert, "slot").value_or("?") + " " +
        named(language, text_at(cert, "usage"), kUsages) + "  " +
        text_at(cert, "algorithm").value_or("?") + "  " + message(language, Msg::label_serial) +
        " " + text_at(cert, "serial").value_or("?") + "  " + message(language, Msg::label_valid) +
        " " + text_at(cert, "notBefore").value_or("?") + " – " +
        text_at(cert, "notAfter").value_or("?") + "\n";
    if (auto subject = text_at(cert, "subject"))
        out += "     " + message(language, Msg::label_subject) + " " + *subject + "\n";
    return out;
}

}  // namespace

std::string render_readers(const Json& result, Language language) {
    static const std::map<std::string_view, Msg> kStates{{"empty", Msg::state_empty},
                                                         {"present", Msg::state_present},
                                                         {"mute", Msg::state_mute},
                                                         {"unsupported", Msg::state_unsupported}};
    const auto& readers = result.at("readers");
    if (readers.empty()) return message(language, Msg::no_readers) + "\n";
    std::string out;
    for (const auto& reader : readers) {
        out += text_at(reader, "reader").value_or("?") + ": " +
               named(language, text_at(reader, "state"), kStates);
        const auto& token = object_at(reader, "token");
        if (auto label = text_at(token, "label")) out += " — " + *label;
        if (auto id = text_at(token, "id")) out += " (" + *id + ")";
        out += "\n";
    }
    return out;
}

std::string render_event(const protocol::jsonrpc::Notification& event, Language language) {
    static const std::map<std::string_view, Msg> kEvents{
        {"reader.added", Msg::event_reader_added},
        {"reader.removed", Msg::event_reader_removed},
        {"token.inserted", Msg::event_token_inserted},
        {"token.removed", Msg::event_token_removed}};
    auto found = kEvents.find(event.method);
    if (found == kEvents.end()) return event.method + " " + protocol::dump_json(event.params);
    return message(language, found->second,
                   {text_at(event.params, "reader").value_or("?"),
                    text_at(event.params, "atr").value_or("?")});
}

std::string render_info(const Json& info, Language language) {
    static const std::map<std::string_view, Msg> kRoles{{"legal-person", Msg::role_legal_person},
                                                        {"operator", Msg::role_operator}};
    const auto& enterprise = object_at(info, "enterprise");
    const auto& holder = object_at(info, "holder");
    std::string out;
    add_line(out, language, Msg::label_reader, text_at(info, "reader"));
    add_line(out, language, Msg::label_token, text_at(info, "id"));
    add_line(out, language, Msg::label_enterprise, text_at(enterprise, "name"));
    add_line(out, language, Msg::label_uscc, text_at(enterprise, "uscc"));
    add_line(out, language, Msg::label_org_code, text_at(enterprise, "orgCode"));
    add_line(out, language, Msg::label_customs_code, text_at(enterprise, "customsCode"));
    add_line(out, language, Msg::label_holder, text_at(holder, "name"));
    add_line(out, language, Msg::label_holder_id, text_at(holder, "id"));
    add_line(out, language, Msg::label_role, named(language, text_at(info, "role"), kRoles));
    add_line(out, language, Msg::label_card_id, text_at(info, "cardId"));
    add_line(out, language, Msg::label_pin, pin_state(object_at(info, "pin"), language));
    auto certs = info.find("certificates");
    if (certs != info.end() && certs->is_array() && !certs->empty()) {
        out += message(language, Msg::label_certificates) + ":\n";
        for (const auto& cert : *certs) out += certificate_lines(cert, language);
    }
    return out;
}

}  // namespace cardbridge::cli
