#include "card/card_identity.hpp"

#include "api/error.hpp"
#include "cardbridge/protocol/crypto_x509.hpp"
#include "cardbridge/protocol/eport_attributes.hpp"

namespace cardbridge::portal {

namespace {

nlohmann::json optional_json(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::optional<std::string> optional_from(const nlohmann::json& json, const char* key) {
    const auto it = json.find(key);
    if (it == json.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

bool present(const std::optional<std::string>& value) {
    return value && !value->empty();
}

}  // namespace

CardIdentity card_identity(X509& certificate) {
    const auto attributes = protocol::enterprise_attributes(certificate);
    if (!present(attributes.card_id) || !present(attributes.enterprise_name) ||
        !(present(attributes.uscc) || present(attributes.org_code)))
        throw PortalError(ErrorCode::CARD_NOT_EPORT);
    CardIdentity card;
    card.card_id = *attributes.card_id;
    card.holder = attributes.holder_name.value_or("");
    card.holder_id = attributes.holder_id;
    if (attributes.role) card.role = std::string(protocol::role_name(*attributes.role));
    card.certificate_serial = crypto::certificate_serial_hex(certificate);
    card.not_after = crypto::certificate_not_after(certificate);
    card.enterprise = {*attributes.enterprise_name,
                       present(attributes.uscc) ? attributes.uscc : std::nullopt,
                       present(attributes.org_code) ? attributes.org_code : std::nullopt,
                       present(attributes.customs_code) ? attributes.customs_code : std::nullopt};
    return card;
}

std::string iso_date(std::time_t time) {
    std::tm parts{};
    gmtime_r(&time, &parts);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
    return text;
}

nlohmann::json card_json(const CardIdentity& card) {
    return {
        {"cardId", card.card_id},
        {"holder", card.holder},
        {"role", optional_json(card.role)},
        {"certificateSerial", card.certificate_serial},
        {"notAfter", iso_date(card.not_after)},
        {"enterprise",
         {{"name", card.enterprise.name},
          {"uscc", optional_json(card.enterprise.uscc)},
          {"orgCode", optional_json(card.enterprise.org_code)},
          {"customsCode", optional_json(card.enterprise.customs_code)}}},
    };
}

nlohmann::json card_state_json(const CardIdentity& card) {
    auto json = card_json(card);
    json["holderId"] = optional_json(card.holder_id);
    json["notAfterTime"] = card.not_after;
    return json;
}

CardIdentity card_from_json(const nlohmann::json& json) {
    CardIdentity card;
    card.card_id = json.at("cardId").get<std::string>();
    card.holder = json.at("holder").get<std::string>();
    card.holder_id = optional_from(json, "holderId");
    card.role = optional_from(json, "role");
    card.certificate_serial = json.at("certificateSerial").get<std::string>();
    card.not_after = json.value("notAfterTime", std::time_t{0});
    const auto& enterprise = json.at("enterprise");
    card.enterprise = {enterprise.at("name").get<std::string>(), optional_from(enterprise, "uscc"),
                       optional_from(enterprise, "orgCode"),
                       optional_from(enterprise, "customsCode")};
    return card;
}

}  // namespace cardbridge::portal
