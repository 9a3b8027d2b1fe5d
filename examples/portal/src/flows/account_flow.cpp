// 账号信息 and 同步更新 (the manual's 第三章): GET /api/account, POST /api/sync/preview,
// POST /api/sync/apply. Sync takes the enterprise's name and codes from a card of the
// administrator's enterprise; a value the card does not carry is left as it is.

#include "api/router.hpp"
#include "flows/flows.hpp"
#include "flows/steps.hpp"
#include "flows/views.hpp"

namespace cardbridge::portal {

namespace {

constexpr std::time_t kSyncSeconds = 5 * 60;

struct CodeField {
    const char* field;
    const char* label;
    std::optional<std::string> Enterprise::*ours;
    std::optional<std::string> CardEnterprise::*card;
};

constexpr CodeField kCodes[] = {
    {"uscc", "统一社会信用代码", &Enterprise::uscc, &CardEnterprise::uscc},
    {"orgCode", "组织机构代码", &Enterprise::org_code, &CardEnterprise::org_code},
    {"customsCode", "海关编码", &Enterprise::customs_code, &CardEnterprise::customs_code},
};

nlohmann::json nullable(const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// The changes `card` makes to `enterprise`, applied to `updated`.
nlohmann::json changes(const Enterprise& enterprise, const CardEnterprise& card,
                       Enterprise& updated) {
    auto list = nlohmann::json::array();
    updated = enterprise;
    if (!card.name.empty() && card.name != enterprise.name) {
        list.push_back({{"field", "name"},
                        {"label", "企业中文名称"},
                        {"old", enterprise.name},
                        {"new", card.name}});
        updated.name = card.name;
    }
    for (const auto& code : kCodes) {
        const auto& value = card.*code.card;
        if (!value || value == enterprise.*code.ours) continue;
        list.push_back({{"field", code.field},
                        {"label", code.label},
                        {"old", nullable(enterprise.*code.ours)},
                        {"new", *value}});
        updated.*code.ours = value;
    }
    return list;
}

Enterprise own_enterprise(Services& services, const User& user) {
    auto enterprise = services.enterprises.find(user.enterprise_id);
    if (!enterprise) throw PortalError(ErrorCode::INTERNAL);
    return *enterprise;
}

void preview(Services& services, const CallPtr& call) {
    const auto card = prove_card(services, *call, "sync");
    const auto enterprise = own_enterprise(services, call->logged_in());
    if (!same_enterprise(enterprise, card.enterprise))
        throw PortalError(ErrorCode::ENTERPRISE_MISMATCH);
    Enterprise updated;
    const auto list = changes(enterprise, card.enterprise, updated);
    keep_card(services, *call, "sync", card_state_json(card), kSyncSeconds);
    call->ok({{"changes", list}});
}

void apply(Services& services, const CallPtr& call) {
    const auto card = card_from_json(kept_card(services, *call, "sync"));
    const auto enterprise = own_enterprise(services, call->logged_in());
    Enterprise updated;
    const auto list = changes(enterprise, card.enterprise, updated);
    // A code the card brings may already be another enterprise's in this database.
    for (const auto& other : {services.enterprises.find_by_codes(updated.uscc, std::nullopt),
                              services.enterprises.find_by_codes(std::nullopt, updated.org_code)})
        if (other && other->id != enterprise.id) throw PortalError(ErrorCode::ENTERPRISE_MISMATCH);
    services.enterprises.update_identity(updated);
    services.sessions.clear_pending(call->session().id);
    call->ok({{"enterprise", enterprise_detail_view(updated)}, {"changed", list.size()}});
}

}  // namespace

void add_account_routes(Router& router, Services& services) {
    router.add({"GET", "/api/account", Access::LOGGED_IN, false, [&services](const CallPtr& call) {
                    const auto& user = call->logged_in();
                    call->ok(
                        {{"user", user_view(services, user, call->session().via_card)},
                         {"enterprise", enterprise_detail_view(own_enterprise(services, user))}});
                }});
    router.add({"POST", "/api/sync/preview", Access::ADMIN, false,
                [&services](const CallPtr& call) { preview(services, call); }});
    router.add({"POST", "/api/sync/apply", Access::ADMIN, false,
                [&services](const CallPtr& call) { apply(services, call); }});
}

}  // namespace cardbridge::portal
