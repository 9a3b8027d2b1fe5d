// GET /api/session, POST /api/challenge, POST /api/logout.

#include <algorithm>
#include <array>

#include "api/form.hpp"
#include "api/router.hpp"
#include "flows/flows.hpp"
#include "flows/views.hpp"

namespace cardbridge::portal {

namespace {

constexpr std::array<std::string_view, 6> kPurposes{"login", "legacy-login", "register",
                                                    "bind",  "sync",         "add-operator"};

}  // namespace

void add_session_routes(Router& router, Services& services) {
    router.add({"GET", "/api/session", Access::ANYONE, true, [&services](const CallPtr& call) {
                    const auto& user = call->user();
                    call->ok({{"csrf", call->session().csrf},
                              {"user", user ? user_view(services, *user, call->session().via_card)
                                            : nlohmann::json(nullptr)}});
                }});

    router.add({"POST", "/api/challenge", Access::ANYONE, false, [&services](const CallPtr& call) {
                    const auto purpose = Form(call->body()).required("purpose", 32);
                    if (std::find(kPurposes.begin(), kPurposes.end(), purpose) == kPurposes.end())
                        throw invalid("purpose", "未知的用途");
                    const auto nonce =
                        services.challenges.issue(call->session().id, purpose, services.now());
                    call->ok({{"nonce", nonce}, {"expiresIn", ChallengeStore::kLifetimeSeconds}});
                }});

    router.add({"POST", "/api/logout", Access::ANYONE, true, [&services](const CallPtr& call) {
                    call->replace_session(services.sessions.replace(call->session(), std::nullopt,
                                                                    false, services.now()));
                    call->ok(nlohmann::json::object());
                }});
}

}  // namespace cardbridge::portal
