// 无卡用户注册 (the manual's 1.1, 无卡用户): POST /api/register/manual. Creates an
// administrator only, with the enterprise typed by hand.

#include "api/form.hpp"
#include "api/router.hpp"
#include "flows/flows.hpp"
#include "flows/steps.hpp"
#include "validation/account_fields.hpp"
#include "validation/codes.hpp"

namespace cardbridge::portal {

namespace {

Enterprise read_enterprise(const Form& form) {
    Enterprise enterprise;
    enterprise.name = form.person_name("name");
    enterprise.uscc = form.uscc("uscc");
    enterprise.org_code = form.org_code("orgCode");
    if (!enterprise.uscc && !enterprise.org_code)
        throw invalid("uscc", "统一社会信用代码和组织机构代码至少填写一项");
    // Characters 9-17 of a USCC are the enterprise's org code (GB 32100).
    if (enterprise.uscc) {
        const auto embedded = enterprise.uscc->substr(8, 9);
        if (enterprise.org_code && *enterprise.org_code != embedded)
            throw invalid("orgCode", "组织机构代码与统一社会信用代码第9至17位不一致");
        if (valid_org_code(embedded)) enterprise.org_code = embedded;
    }
    enterprise.customs_code = form.customs_code("customsCode");
    enterprise.legal_person = form.person_name("legalPerson");
    const auto address = form.optional("address", 1024);
    if (address && !valid_name(*address, 200)) throw invalid("address", "地址须为1-200个字符");
    enterprise.address = address.value_or("");
    return enterprise;
}

void register_manually(Services& services, const CallPtr& call) {
    const Form body(call->body());
    auto enterprise = read_enterprise(body.object("enterprise"));
    const auto account = body.object("account");
    User user;
    user.role = Role::ADMIN;
    user.username = account.username("username", false);
    auto password = account.new_password("password", "password2");
    user.phone = account.phone("phone");
    user.email = account.email("email");
    user.real_name = account.person_name("realName");
    user.id_number = account.id_number("idNumber");
    body.agreed("agree");
    const auto check_enterprise = [&services](const Enterprise& e) {
        const auto existing = services.enterprises.find_by_codes(e.uscc, e.org_code);
        if (existing && services.users.admin_of(existing->id))
            throw PortalError(ErrorCode::ADMIN_EXISTS);
        return existing;
    };
    check_enterprise(enterprise);
    require_free_username(services, user.username);
    services.hasher.hash(
        std::move(password), call->later([&services, call, user, enterprise, check_enterprise](
                                             std::optional<std::string> hash) mutable {
            if (!hash) throw PortalError(ErrorCode::INTERNAL);
            user.password_hash = std::move(*hash);
            const auto created = create_account(services, std::move(user), std::nullopt, [&] {
                const auto existing = check_enterprise(enterprise);
                return existing ? existing->id
                                : services.enterprises.insert(enterprise, services.now());
            });
            log_in(services, *call, created, false);
        }));
}

}  // namespace

void add_manual_registration_routes(Router& router, Services& services) {
    router.add({"POST", "/api/register/manual", Access::ANYONE, false,
                [&services](const CallPtr& call) { register_manually(services, call); }});
}

}  // namespace cardbridge::portal
