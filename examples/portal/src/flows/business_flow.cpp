// 业务办理, a stand-in: operators list and add declarations; administrators are refused
// (ADMIN_NO_BUSINESS, by the router), as the manual's 重要提醒 says.

#include "api/form.hpp"
#include "api/router.hpp"
#include "flows/flows.hpp"
#include "flows/views.hpp"
#include "validation/account_fields.hpp"

namespace cardbridge::portal {

namespace {

nlohmann::json declaration_view(const Declaration& d) {
    return {{"id", d.id}, {"title", d.title}, {"createdAt", iso_time(d.created_at)}};
}

}  // namespace

void add_business_routes(Router& router, Services& services) {
    router.add({"GET", "/api/business", Access::OPERATOR, false, [&services](const CallPtr& call) {
                    auto list = nlohmann::json::array();
                    for (const auto& d : services.declarations.of_user(call->logged_in().id))
                        list.push_back(declaration_view(d));
                    call->ok({{"declarations", list}});
                }});
    router.add({"POST", "/api/business/declare", Access::OPERATOR, false,
                [&services](const CallPtr& call) {
                    const auto title = Form(call->body()).required("title", 1024);
                    if (!valid_name(title, 60)) throw invalid("title", "标题须为1-60个字符");
                    call->ok({{"declaration", declaration_view(services.declarations.insert(
                                                  call->logged_in().id, title, services.now()))}});
                }});
}

}  // namespace cardbridge::portal
