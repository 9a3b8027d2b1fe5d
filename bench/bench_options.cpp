#include "bench_options.hpp"

#include <cstdlib>
#include <iostream>

namespace cardbridge::bench {

namespace {

[[noreturn]] void usage(int status) {
    (status == 0 ? std::cout : std::cerr)
        << R"(usage: daemon_bench [OPTION VALUE]...   (under vcard-env: bench/run.sh)
  --logins N          measured auth.login rounds per card (default 500)
  --seconds S         measured seconds per tokens.list level (default 5)
  --idle-seconds S    how long the idle daemon is watched (default 30)
  --client-threads N  threads of the tokens.list client (default 1)
  --paced-rate R      requests/s of the extra paced 1000-connection level; 0: none (default 10000)
  --daemon PATH       the cardbridged to measure (default: this build's)
)";
    std::exit(status);
}

}  // namespace

Options parse_options(int argc, char** argv) {
    Options o;
    o.daemon = CARDBRIDGE_DAEMON;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help") usage(0);
        if (i + 1 >= argc) usage(2);
        const std::string value = argv[++i];
        if (arg == "--daemon")
            o.daemon = value;
        else if (arg == "--logins")
            o.logins = std::stoi(value);
        else if (arg == "--seconds")
            o.seconds = std::stod(value);
        else if (arg == "--idle-seconds")
            o.idle_seconds = std::stod(value);
        else if (arg == "--client-threads")
            o.client_threads = std::stoi(value);
        else if (arg == "--paced-rate")
            o.paced_rate = std::stod(value);
        else
            usage(2);
    }
    return o;
}

}  // namespace cardbridge::bench
