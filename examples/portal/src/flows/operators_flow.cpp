// 我的操作员 (the manual's 第四章): GET /api/operators, POST /api/operators/manual (新增无卡
// 操作员), /api/operators/update, /api/operators/delete.

#include "api/form.hpp"
#include "api/router.hpp"
#include "flows/flows.hpp"
#include "flows/operators.hpp"
#include "flows/steps.hpp"
#include "flows/views.hpp"

namespace cardbridge::portal {

bool operator_editable(Services& services, const User& admin, const User& op) {
    return !(services.cards.of_user(op.id) && !services.cards.of_user(admin.id));
}

User editable_operator(Services& services, const User& admin, std::int64_t id) {
    auto op = services.users.find(id);
    if (!op || op->role != Role::OPERATOR || op->enterprise_id != admin.enterprise_id)
        throw PortalError(ErrorCode::NOT_FOUND);
    if (!operator_editable(services, admin, *op)) throw PortalError(ErrorCode::OPERATOR_PROTECTED);
    return *op;
}

void create_operator(Services& services, const CallPtr& call, User op, std::string password,
                     std::optional<CardIdentity> card) {
    op.role = Role::OPERATOR;
    op.enterprise_id = call->logged_in().enterprise_id;
    op.must_change_password = true;
    require_free_username(services, op.username);
    services.hasher.hash(
        std::move(password),
        call->later([&services, call, op, card](std::optional<std::string> hash) mutable {
            if (!hash) throw PortalError(ErrorCode::INTERNAL);
            op.password_hash = std::move(*hash);
            const auto enterprise_id = op.enterprise_id;
            const auto created =
                create_account(services, std::move(op), card, [&] { return enterprise_id; });
            if (card) services.sessions.clear_pending(call->session().id);
            call->ok({{"operator",
                       operator_view(services, created,
                                     operator_editable(services, call->logged_in(), created))}});
        }));
}

namespace {

void list(Services& services, const CallPtr& call) {
    const auto& admin = call->logged_in();
    auto operators = nlohmann::json::array();
    for (const auto& op : services.users.operators_of(admin.enterprise_id))
        operators.push_back(operator_view(services, op, operator_editable(services, admin, op)));
    call->ok({{"operators", operators}});
}

void add_manual(Services& services, const CallPtr& call) {
    const Form form(call->body());
    User op;
    op.username = form.username("username", true);
    op.phone = form.phone("phone");
    op.real_name = form.person_name("realName");
    op.id_type = form.required("idType", 32);
    if (op.id_type != "身份证") throw invalid("idType", "证件类型目前仅支持身份证");
    op.id_number = form.id_number("idNumber");
    op.email = form.email("email");
    // The manual's 4.1: the initial password is the ID number's last eight characters.
    auto password = op.id_number->substr(op.id_number->size() - 8);
    create_operator(services, call, std::move(op), std::move(password), std::nullopt);
}

void update(Services& services, const CallPtr& call) {
    const Form form(call->body());
    const auto& admin = call->logged_in();
    const auto id = form.id("id");
    const auto phone = form.phone("phone");
    const auto real_name = form.person_name("realName");
    const auto email = form.email("email");
    auto op = editable_operator(services, admin, id);
    services.users.update_contact(op.id, phone, real_name, email);
    op.phone = phone;
    op.real_name = real_name;
    op.email = email;
    call->ok({{"operator", operator_view(services, op, true)}});
}

void remove(Services& services, const CallPtr& call) {
    const auto op = editable_operator(services, call->logged_in(), Form(call->body()).id("id"));
    services.users.remove(op.id);
    call->ok(nlohmann::json::object());
}

}  // namespace

void add_operator_routes(Router& router, Services& services) {
    router.add({"GET", "/api/operators", Access::ADMIN, false,
                [&services](const CallPtr& call) { list(services, call); }});
    router.add({"POST", "/api/operators/manual", Access::ADMIN, false,
                [&services](const CallPtr& call) { add_manual(services, call); }});
    router.add({"POST", "/api/operators/update", Access::ADMIN, false,
                [&services](const CallPtr& call) { update(services, call); }});
    router.add({"POST", "/api/operators/delete", Access::ADMIN, false,
                [&services](const CallPtr& call) { remove(services, call); }});
}

}  // namespace cardbridge::portal
