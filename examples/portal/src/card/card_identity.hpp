#pragma once
// Whose card a verified certificate belongs to, in the form the portal keeps and shows.

#include <ctime>
#include <optional>
#include <string>

#include <openssl/x509.h>
#include <nlohmann/json.hpp>

namespace cardbridge::portal {

struct CardEnterprise {
    std::string name;
    std::optional<std::string> uscc;
    std::optional<std::string> org_code;
    std::optional<std::string> customs_code;
};

struct CardIdentity {
    std::string card_id;
    std::string holder;
    std::optional<std::string> holder_id;
    std::optional<std::string> role;  // "legal-person", "operator"; unknown on real cards so far
    std::string certificate_serial;
    std::time_t not_after = 0;
    CardEnterprise enterprise;
};

/// Throws PortalError CARD_NOT_EPORT when the certificate carries no card ID, no enterprise
/// name or neither enterprise code: such a card cannot be bound to an enterprise's account.
CardIdentity card_identity(X509& certificate);

/// The `card` object of the API (README.md).
nlohmann::json card_json(const CardIdentity& card);
/// How a card identified for a later step is kept in the session: card_json and what the
/// account needs but the page does not see (holder ID, exact expiry).
nlohmann::json card_state_json(const CardIdentity& card);
CardIdentity card_from_json(const nlohmann::json& json);

/// "2036-11-27" (UTC).
std::string iso_date(std::time_t time);

}  // namespace cardbridge::portal
