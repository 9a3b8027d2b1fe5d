#pragma once
// API answers: 200 with a JSON object, or the contract's error object
// {"error": {"code", "message", "field"?}} with the code's status.

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "http/message.hpp"

namespace cardbridge::portal {

HttpResponse json_response(unsigned status, const nlohmann::json& body);
HttpResponse error_response(const PortalError& error);

}  // namespace cardbridge::portal
