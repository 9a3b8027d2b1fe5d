// daemon_bench: measures cardbridged in one run, under tests/harness/vcard-env (bench/run.sh):
// auth.login against the APDU floor on every card of the run, tokens.list at 1, 100 and 1000
// connections, then the idle daemon. Prints tables; asserts no target (docs/PERFORMANCE.md).


#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_options.hpp"
#include "daemon_process.hpp"
#include "daemon_guard.hpp"
#include "harness_env.hpp"
#include "list_load.hpp"
#include "open_files_limit.hpp"
#include "login_bench.hpp"
#include "proc_probe.hpp"
#include "ws_client.hpp"

namespace {

using namespace cardbridge;
using namespace cardbridge::bench;
using nlohmann::json;

constexpr auto kOrigin = "https://bench.example.cn";
constexpr int kLoginWarmup = 50;
constexpr auto kLoadWarmup = std::chrono::milliseconds(500);

void wait_for_tokens(std::uint16_t port, std::size_t cards) {
    testing::WsClient client(port, kOrigin);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
        const auto list = client.call("tokens.list");
        std::size_t ready = 0;
        for (const auto& r : list["result"]["readers"]) ready += !r["token"].is_null();
        if (ready == cards) return;
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("the daemon did not read every card within 30 s: " +
                                     list.dump());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

double overhead(double value, double base) {
    return 100.0 * (value - base) / base;
}

void print_login(const BenchCard& card, const LoginResult& r) {
    std::printf("  %s (%s; %zu APDUs in %zu transactions per login)\n", card.name.c_str(),
                r.algorithm.c_str(), r.apdus, r.transactions);
    const auto row = [](const char* what, const Percentiles& p) {
        std::printf("    %-52s %8.3f %8.3f\n", what, p.p50, p.p99);
    };
    row("daemon: auth.login over WebSocket", r.daemon);
    row("in process: the daemon's PivToken and tokens::", r.in_process);
    row("APDU floor: the same APDUs replayed, no host crypto", r.apdu_floor);
    std::printf("    %-52s %+7.1f%% %+7.1f%%   (target p50 <= +10 %%)\n",
                "daemon over the APDU floor", overhead(r.daemon.p50, r.apdu_floor.p50),
                overhead(r.daemon.p99, r.apdu_floor.p99));
    std::printf("    %-52s %+7.1f%% %+7.1f%%\n", "daemon over in process",
                overhead(r.daemon.p50, r.in_process.p50), overhead(r.daemon.p99, r.in_process.p99));
}

void measure_logins(const Options& o, const testing::DaemonProcess& daemon,
                    const std::vector<BenchCard>& cards) {
    std::printf(
        "auth.login, %d rounds per card after %d warm-up, order turning      p50 ms   p99 ms\n",
        o.logins, kLoginWarmup);
    const auto bundle = ca_bundle();
    for (const auto& card : cards) {
        print_login(card,
                    measure_login(daemon.port(), kOrigin, card, bundle, o.logins, kLoginWarmup));
        std::fflush(stdout);
    }
}

void measure_load(const Options& o, const testing::DaemonProcess& daemon) {
    std::printf("\ntokens.list, %.0f s per level after %.1f s warm-up, %d client thread(s)\n",
                o.seconds, std::chrono::duration<double>(kLoadWarmup).count(), o.client_threads);
    std::printf("  %-11s %-13s %9s %8s %8s %11s %11s %8s\n", "connections", "sending", "req/s",
                "p50 ms", "p99 ms", "daemon CPU", "client CPU", "failures");
    std::vector<LoadLevel> levels{{1}, {100}, {1000}};
    if (o.paced_rate > 0) levels.push_back({1000, o.paced_rate});
    const auto duration = std::chrono::milliseconds(static_cast<long>(o.seconds * 1000));
    for (const auto& level : levels) {
        const auto before = sample_process(daemon.pid());
        const auto start = std::chrono::steady_clock::now();
        const auto r =
            run_load(daemon.port(), kOrigin, level, kLoadWarmup, duration, o.client_threads);
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double daemon_cpu = sample_process(daemon.pid()).cpu_seconds - before.cpu_seconds;
        const auto sending = level.paced_rate > 0
                                 ? "at " + std::to_string(static_cast<int>(level.paced_rate)) + "/s"
                                 : std::string("back to back");
        std::printf("  %5zu/%-5zu %-13s %9.0f %8.3f %8.3f %10.0f%% %10.0f%% %8llu\n", r.connected,
                    level.connections, sending.c_str(), r.requests_per_second, r.latency_ms.p50,
                    r.latency_ms.p99, 100 * daemon_cpu / wall, 100 * r.client_cpu_seconds / wall,
                    static_cast<unsigned long long>(r.failures));
        std::fflush(stdout);
    }
    std::printf(
        "  CPU: %% of one core over the whole level; targets: >= 20000 req/s at 100 connections,\n"
        "  p99 < 5 ms at 1000 connections\n");
}

double mib(std::uint64_t kib) {
    return static_cast<double>(kib) / 1024;
}

/// `at_start`: the daemon once it had read the cards, before any load.
void measure_idle(const Options& o, const testing::DaemonProcess& daemon,
                  const ProcessSample& at_start) {
    // Let the daemon finish closing every session before the quiet period starts.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const auto first = sample_process(daemon.pid());
    std::this_thread::sleep_for(std::chrono::duration<double>(o.idle_seconds));
    const auto last = sample_process(daemon.pid());
    const auto switches = last.context_switches - first.context_switches;
    std::printf("\nidle daemon, %.0f s after every connection closed (%zu threads)\n",
                o.idle_seconds, last.threads);
    std::printf("  RSS               %8.2f MiB   target <= 16 MiB\n", mib(last.rss_kib));
    std::printf(
        "                    (anonymous %.2f MiB; %.2f MiB and %.2f anonymous after start)\n",
        mib(last.anon_rss_kib), mib(at_start.rss_kib), mib(at_start.anon_rss_kib));
    std::printf("  context switches  %8.2f /s  (%llu in %.0f s)       target <= 1 wake-up/s\n",
                static_cast<double>(switches) / o.idle_seconds,
                static_cast<unsigned long long>(switches), o.idle_seconds);
    std::printf("  CPU time          %8.3f s\n", last.cpu_seconds - first.cpu_seconds);
}

std::string log_summary(const std::string& log) {
    std::size_t warnings = 0, errors = 0;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        warnings += line.starts_with("warning: ");
        errors += line.starts_with("error: ");
    }
    return std::to_string(warnings) + " warning(s), " + std::to_string(errors) + " error(s)";
}

void run(const Options& o) {
    const auto cards = harness_cards();
    testing::DaemonOptions options;
    options.binary = o.daemon;
    options.config =
        json{{"origins",
              json::array(
                  {{{"pattern", kOrigin}, {"login", true}, {"sign", true}, {"sendPin", true}}})}};
    testing::DaemonProcess daemon(options);
    stop_daemon_on_signals(daemon.pid());
    // The client opens as many connections as the daemon serves.
    daemon::raise_open_files_limit();
    try {
        wait_for_tokens(daemon.port(), cards.size());
        const auto at_start = sample_process(daemon.pid());
        std::printf("cardbridge daemon bench: %s, load average %s at start\n", machine().c_str(),
                    load_average().c_str());
        std::printf("cardbridged pid %d, open files limit %s, %zu card(s)\n\n", daemon.pid(),
                    open_files_limit(daemon.pid()).c_str(), cards.size());
        std::fflush(stdout);
        measure_logins(o, daemon, cards);
        measure_load(o, daemon);
        measure_idle(o, daemon, at_start);
    } catch (...) {
        const auto log = daemon.log_text();
        std::cerr << "the daemon's log ends with:\n"
                  << log.substr(log.size() > 3000 ? log.size() - 3000 : 0);
        throw;
    }
    forget_daemon_on_signals();
    const int status = daemon.stop();
    std::printf("\nload average %s at the end; daemon log: %s; exit status after SIGTERM: %d\n",
                load_average().c_str(), log_summary(daemon.log_text()).c_str(), status);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        run(parse_options(argc, argv));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "daemon_bench: " << e.what() << '\n';
        return 1;
    }
}
