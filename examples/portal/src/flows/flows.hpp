#pragma once
// Each flow adds its routes (README.md, "HTTP API") to the router.

namespace cardbridge::portal {

class Router;
struct Services;

void add_session_routes(Router& router, Services& services);
void add_login_routes(Router& router, Services& services);
void add_password_routes(Router& router, Services& services);
void add_card_registration_routes(Router& router, Services& services);
void add_manual_registration_routes(Router& router, Services& services);
void add_card_binding_routes(Router& router, Services& services);
void add_account_routes(Router& router, Services& services);
void add_operator_routes(Router& router, Services& services);
void add_operator_card_routes(Router& router, Services& services);
void add_business_routes(Router& router, Services& services);

inline void add_all_routes(Router& router, Services& services) {
    add_session_routes(router, services);
    add_login_routes(router, services);
    add_password_routes(router, services);
    add_card_registration_routes(router, services);
    add_manual_registration_routes(router, services);
    add_card_binding_routes(router, services);
    add_account_routes(router, services);
    add_operator_routes(router, services);
    add_operator_card_routes(router, services);
    add_business_routes(router, services);
}

}  // namespace cardbridge::portal
