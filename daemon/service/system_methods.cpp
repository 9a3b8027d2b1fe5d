#include "service/system_methods.hpp"

namespace cardbridge::daemon {

void add_system_methods(Api& api) {
    api.add("system.info", [&api](const CallContext&, Json params, Complete done) {
        if (!params.empty()) throw Error(Reason::INVALID_PARAMS, "system.info takes no params");
        Json methods = Json::array();
        for (const auto& [name, _] : api.methods()) methods.push_back(name);
        done(Json{{"product", "cardbridge"},
                  {"version", CARDBRIDGE_VERSION},
                  {"apiVersion", kApiVersion},
                  {"methods", std::move(methods)}});
    });
}

}  // namespace cardbridge::daemon
