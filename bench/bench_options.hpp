#pragma once
// daemon_bench's command line.

#include <string>

namespace cardbridge::bench {

struct Options {
    std::string daemon;  // the cardbridged to measure
    int logins = 500;    // measured auth.login rounds per card
    double seconds = 5;  // measured seconds per tokens.list level
    double idle_seconds = 30;
    int client_threads = 1;
    double paced_rate = 10000;  // the extra paced 1000-connection level; 0 leaves it out
};

/// Exits with the usage text for --help (status 0) and for anything it does not know (2).
Options parse_options(int argc, char** argv);

}  // namespace cardbridge::bench
