#include "api/json_reply.hpp"

#include "cardbridge/protocol/json.hpp"

namespace cardbridge::portal {

HttpResponse json_response(unsigned status, const nlohmann::json& body) {
    HttpResponse response;
    response.status = status;
    response.content_type = "application/json; charset=utf-8";
    response.body = protocol::dump_json(body);
    return response;
}

HttpResponse error_response(const PortalError& error) {
    nlohmann::json detail{{"code", error_name(error.code())}, {"message", error.message()}};
    if (!error.field().empty()) detail["field"] = error.field();
    return json_response(error_status(error.code()), {{"error", detail}});
}

}  // namespace cardbridge::portal
