#pragma once
// The JSON shapes the API answers with (README.md, "HTTP API").

#include <ctime>
#include <string>

#include <nlohmann/json.hpp>

#include "flows/services.hpp"

namespace cardbridge::portal {

/// {name, uscc, orgCode, customsCode}.
nlohmann::json enterprise_view(const Enterprise& enterprise);
/// enterprise_view and {legalPerson, address}.
nlohmann::json enterprise_detail_view(const Enterprise& enterprise);
/// The session's `user`. `via_card`: logged in with a card, so no forced password change.
nlohmann::json user_view(Services& services, const User& user, bool via_card);
/// An entry of 我的操作员.
nlohmann::json operator_view(Services& services, const User& op, bool editable);
/// "2026-11-27T08:30:00Z".
std::string iso_time(std::time_t time);

}  // namespace cardbridge::portal
