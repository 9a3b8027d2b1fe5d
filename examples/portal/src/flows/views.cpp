#include "flows/views.hpp"

namespace cardbridge::portal {

namespace {

nlohmann::json nullable(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json enterprise_view(const Enterprise& e) {
    return {{"name", e.name},
            {"uscc", nullable(e.uscc)},
            {"orgCode", nullable(e.org_code)},
            {"customsCode", nullable(e.customs_code)}};
}

nlohmann::json enterprise_detail_view(const Enterprise& e) {
    auto view = enterprise_view(e);
    view["legalPerson"] = e.legal_person;
    view["address"] = e.address;
    return view;
}

nlohmann::json user_view(Services& services, const User& user, bool via_card) {
    const auto enterprise = services.enterprises.find(user.enterprise_id);
    const auto card = services.cards.of_user(user.id);
    return {
        {"username", user.username},
        {"role", role_text(user.role)},
        {"realName", user.real_name},
        {"enterprise", enterprise ? enterprise_view(*enterprise) : nlohmann::json(nullptr)},
        {"mustChangePassword", user.must_change_password && !via_card},
        {"card", card ? nlohmann::json{{"cardId", card->card_id},
                                       {"holder", card->holder},
                                       {"role", nullable(card->role)}}
                      : nlohmann::json(nullptr)},
    };
}

nlohmann::json operator_view(Services& services, const User& op, bool editable) {
    const auto card = services.cards.of_user(op.id);
    return {
        {"id", op.id},
        {"username", op.username},
        {"realName", op.real_name},
        {"phone", op.phone},
        {"email", nullable(op.email)},
        {"card", card ? nlohmann::json{{"cardId", card->card_id}, {"holder", card->holder}}
                      : nlohmann::json(nullptr)},
        {"editable", editable},
    };
}

std::string iso_time(std::time_t time) {
    std::tm parts{};
    gmtime_r(&time, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

}  // namespace cardbridge::portal
