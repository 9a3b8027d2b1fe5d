#pragma once
// The first stop of every request: the session (every visitor gets one on the first request),
// then the API router or the static pages.

#include "api/router.hpp"
#include "clock.hpp"
#include "http/message.hpp"
#include "store/sessions.hpp"
#include "web/static_files.hpp"

namespace cardbridge::portal {

class Frontend {
public:
    Frontend(SessionStore& sessions, Router& router, StaticFiles& files, Clock clock)
        : sessions_(sessions), router_(router), files_(files), clock_(std::move(clock)) {}

    void handle(HttpRequest request, Respond respond);

private:
    SessionStore& sessions_;
    Router& router_;
    StaticFiles& files_;
    Clock clock_;
};

}  // namespace cardbridge::portal
