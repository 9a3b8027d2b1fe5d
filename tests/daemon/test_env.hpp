#pragma once
// What the tests of the daemon's file and process parts (config, audit log, PIN prompt) arrange
// around them: environment variables set for one scope, a temporary directory (the virtual card
// tests' TempDir, already built into daemon_tests) and the mode bits of what they created.

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "../unit/vcard_fixture.hpp"

namespace cardbridge::test {

/// Sets (or, given nothing, unsets) `name` and puts the old value back when it goes.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::optional<std::string>& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value)
            setenv(name, value->c_str(), 1);
        else
            unsetenv(name);
    }
    ~ScopedEnv() {
        if (old_)
            setenv(name_, old_->c_str(), 1);
        else
            unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

inline unsigned mode_of(const std::filesystem::path& path) {
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

}  // namespace cardbridge::test
