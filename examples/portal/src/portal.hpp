#pragma once
// The whole server, wired: options in, a listening portal out. main() and the API tests both
// run it this way; the tests pass their own clock.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "clock.hpp"
#include "options.hpp"

namespace cardbridge::portal {

class Portal {
public:
    /// Loads the CA bundle, opens the database and binds the address; throws with a message
    /// fit for the user when any of that fails. `default_web` is used when --web is not given.
    Portal(const Options& options, Clock clock, const std::filesystem::path& default_web);
    ~Portal();
    Portal(const Portal&) = delete;
    Portal& operator=(const Portal&) = delete;

    std::uint16_t port() const;
    const std::string& origin() const;
    /// "127.0.0.1:8080".
    std::string listening() const;

    /// Serves until stop() or, after stop_on_signals(), SIGINT/SIGTERM.
    void run();
    /// Safe from any thread.
    void stop();
    void stop_on_signals();

private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

}  // namespace cardbridge::portal
