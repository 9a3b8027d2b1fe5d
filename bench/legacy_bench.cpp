// legacy_bench: what the legacy E-Port API costs next to JSON-RPC (docs/PERFORMANCE.md), under
// tests/harness/vcard-env with one card (bench/legacy_run.sh): a small signature through
// cus-sec_SpcSignDataAsPEM against token.sign, then a 10 MiB inData through BLOCKTXT with the
// daemon's memory. Prints tables; asserts no target.


#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cardbridge/protocol/crypto_base64.hpp"
#include "daemon_process.hpp"
#include "daemon_guard.hpp"
#include "harness_env.hpp"
#include "legacy_upload.hpp"
#include "stats.hpp"
#include "ws_client.hpp"

namespace {

using namespace cardbridge;
using namespace cardbridge::bench;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr auto kOrigin = "https://bench.example.cn";
constexpr int kWarmup = 20;

struct Options {
    std::string daemon = CARDBRIDGE_DAEMON;
    int rounds = 200;
    int uploads = 3;
    double upload_mib = 10;
    bool nagle = false;
};

[[noreturn]] void usage(int status) {
    (status == 0 ? std::cout : std::cerr)
        << R"(usage: legacy_bench [OPTION VALUE]...   (under vcard-env with one card: bench/legacy_run.sh)
  --rounds N       measured signatures of each API (default 200, after 20 warm-up)
  --uploads N      BLOCKTXT uploads (default 3)
  --upload-mib M   the uploads' inData in MiB of UTF-8 (default 10)
  --nagle          upload without TCP_NODELAY (browsers set it; plain sockets do not)
  --daemon PATH    the cardbridged to measure (default: this build's)
)";
    std::exit(status);
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help") usage(0);
        if (arg == "--nagle") {
            o.nagle = true;
            continue;
        }
        if (i + 1 >= argc) usage(2);
        const std::string value = argv[++i];
        if (arg == "--daemon")
            o.daemon = value;
        else if (arg == "--rounds")
            o.rounds = std::stoi(value);
        else if (arg == "--uploads")
            o.uploads = std::stoi(value);
        else if (arg == "--upload-mib")
            o.upload_mib = std::stod(value);
        else
            usage(2);
    }
    return o;
}

json checked_call(testing::WsClient& client, const std::string& method, const json& params) {
    auto answer = client.call(method, params);
    if (!answer.contains("result")) throw std::runtime_error(method + ": " + answer.dump());
    return std::move(answer["result"]);
}

/// The token.sign algorithm the legacy API picks for the card's signing key (slot 9C), from
/// token.info once the daemon has read the card.
std::string signing_algorithm(testing::WsClient& client) {
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    for (;;) {
        const auto answer = client.call("token.info");
        if (answer.contains("result")) {
            for (const auto& cert : answer["result"]["certificates"]) {
                if (cert["slot"] != "9C") continue;
                const auto key = cert["algorithm"].get<std::string>();
                if (key.starts_with("SM2")) return "SM2-SM3";
                if (key.starts_with("RSA")) return "RSA-SHA1";
                return "ECDSA-SHA256";
            }
            throw std::runtime_error("the card has no signing certificate (9C)");
        }
        if (Clock::now() > deadline)
            throw std::runtime_error("the daemon did not read the card within 30 s: " +
                                     answer.dump());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

/// What portal pages sign most: an XML-DSig SignedInfo of a few references, about 1 KiB.
std::string signed_info() {
    std::string xml =
        R"(<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">)"
        R"(<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>)"
        R"(<ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>)";
    for (int n = 1; xml.size() < 900; ++n)
        xml += R"(<ds:Reference URI="#Object)" + std::to_string(n) + R"(">)" +
               (n == 1 ? R"(<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/)"
                         R"(xmldsig#enveloped-signature"/></ds:Transforms>)"
                       : "") +
               R"(<ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>)"
               R"(<ds:DigestValue>q2Tn0bVq6f3m1Xo2QkZ8Hh4yWk0=</ds:DigestValue></ds:Reference>)";
    return xml + "</ds:SignedInfo>";
}

struct SignResult {
    std::size_t bytes = 0;
    Percentiles legacy, rpc;
};

/// Each API on its own connection; one signature of each per round, in an order that turns,
/// so that both see the same machine load and neither always follows the other.
SignResult measure_sign(std::uint16_t port, const BenchCard& card, const std::string& algorithm,
                        int rounds) {
    const auto data = signed_info();
    const auto data_base64 = crypto::base64_encode(
        std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
    testing::WsClient rpc(port, kOrigin);
    LegacyClient legacy(port, kOrigin);
    std::string legacy_signature, rpc_signature;
    const std::array<std::function<void()>, 2> kinds{
        [&] {
            const auto args =
                legacy.call("cus-sec_SpcSignDataAsPEM", {{"inData", data}, {"passwd", card.pin}});
            if (args["Data"].size() != 2) throw std::runtime_error("legacy: " + args.dump());
            legacy_signature = args["Data"][0];
        },
        [&] {
            rpc_signature = checked_call(rpc, "token.sign",
                                         {{"data", data_base64},
                                          {"algorithm", algorithm},
                                          {"purpose", "legacy_bench"},
                                          {"reader", card.reader},
                                          {"pin", card.pin}})["signature"];
        },
    };
    std::array<std::vector<double>, 2> ms;
    for (int round = -kWarmup; round < rounds; ++round)
        for (std::size_t i = 0; i < kinds.size(); ++i) {
            const auto kind = (static_cast<std::size_t>(round + kWarmup) + i) % kinds.size();
            const auto start = Clock::now();
            kinds[kind]();
            if (round >= 0)
                ms[kind].push_back(
                    std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        }
    // PKCS#1 v1.5 is deterministic: both APIs must have signed the same bytes the same way.
    // SM2 and ECDSA are randomized; their raw r‖s has the same length either way.
    if (algorithm.starts_with("RSA") ? legacy_signature != rpc_signature
                                     : legacy_signature.size() != rpc_signature.size())
        throw std::runtime_error("the two APIs' signatures disagree: " + legacy_signature + " / " +
                                 rpc_signature);
    return {data.size(), percentiles(std::move(ms[0])), percentiles(std::move(ms[1]))};
}

void print_sign(const SignResult& r, const std::string& algorithm, int rounds) {
    std::printf(
        "signing %zu bytes (a ds:SignedInfo), %d rounds after %d warm-up, order turning"
        "   p50 ms   p99 ms\n",
        r.bytes, rounds, kWarmup);
    std::printf("  %-66s %8.3f %8.3f\n", "legacy: cus-sec_SpcSignDataAsPEM with passwd",
                r.legacy.p50, r.legacy.p99);
    std::printf("  %-66s %8.3f %8.3f\n",
                ("JSON-RPC: token.sign " + algorithm + " with pin").c_str(), r.rpc.p50, r.rpc.p99);
    std::printf("  %-66s %+8.3f %+8.3f\n", "legacy - JSON-RPC (ms)", r.legacy.p50 - r.rpc.p50,
                r.legacy.p99 - r.rpc.p99);
    std::printf("  %-66s %+7.1f%% %+7.1f%%\n", "legacy over JSON-RPC",
                100 * (r.legacy.p50 - r.rpc.p50) / r.rpc.p50,
                100 * (r.legacy.p99 - r.rpc.p99) / r.rpc.p99);
}

double mib(std::uint64_t kib) {
    return static_cast<double>(kib) / 1024;
}

void print_upload(const UploadResult& r) {
    std::printf(
        "\nBLOCKTXT upload: cus-sec_SpcSignDataAsPEM, inData %.2f MiB (%zu bytes of UTF-8, %zu "
        "UTF-16 units),\n  the call %zu bytes in %zu frames; one connection, %s\n",
        static_cast<double>(r.data_bytes) / (1 << 20), r.data_bytes, r.data_units, r.request_bytes,
        r.frames, r.nodelay ? "TCP_NODELAY as in browsers" : "Nagle on (--nagle)");
    std::printf("  %5s %8s %9s %9s %8s  %-10s %-10s %-10s %-10s %-10s %7s\n", "round", "write ms",
                "finish ms", "answer ms", "CPU ms", "RSS before", "HWM before", "HWM after",
                "RSS after", "peak grows", "/inData");
    for (std::size_t i = 0; i < r.rounds.size(); ++i) {
        const auto& u = r.rounds[i];
        const double growth = mib(u.after.hwm_kib) - mib(u.before.rss_kib);
        std::printf(
            "  %5zu %8.1f %9.1f %9.1f %8.1f  %6.2f MiB %6.2f MiB %6.2f MiB %6.2f MiB %6.2f MiB "
            "%6.2fx\n",
            i + 1, u.writing_ms, u.finished_ms, u.wall_ms,
            1000 * (u.after.cpu_seconds - u.before.cpu_seconds), mib(u.before.rss_kib),
            mib(u.lifetime_hwm_kib), mib(u.after.hwm_kib), mib(u.after.rss_kib), growth,
            growth * (1 << 20) / static_cast<double>(r.data_bytes));
    }
    std::printf(
        "  ms from the first frame sent: write = the bench's own frame writes (part of finish);\n"
        "  CPU: the daemon's, user + system, to the answer and 200 ms after;\n"
        "  HWM before: VmHWM since the daemon started; HWM after: %s;\n"
        "  peak grows: HWM after - RSS before\n",
        r.peak_reset ? "VmHWM since a reset (clear_refs) right before the upload"
                     : "VmHWM since the daemon started (the kernel refused the reset)");
}

void run(const Options& o) {
    const auto cards = harness_cards();
    // The legacy API cannot name a reader: with two cards every card method fails (59005).
    if (cards.size() != 1)
        throw std::runtime_error("run with exactly one card (the legacy API uses the one present)");
    const auto& card = cards.front();
    testing::DaemonOptions options;
    options.binary = o.daemon;
    options.config =
        json{{"origins",
              json::array(
                  {{{"pattern", kOrigin}, {"login", true}, {"sign", true}, {"sendPin", true}}})}};
    testing::DaemonProcess daemon(options);
    stop_daemon_on_signals(daemon.pid());
    try {
        std::string algorithm;
        {
            testing::WsClient client(daemon.port(), kOrigin);
            algorithm = signing_algorithm(client);
        }
        std::printf("cardbridge legacy bench: %s, load average %s at start\n", machine().c_str(),
                    load_average().c_str());
        std::printf("cardbridged pid %d, card %s in %s\n\n", daemon.pid(), card.name.c_str(),
                    card.reader.c_str());
        std::fflush(stdout);
        print_sign(measure_sign(daemon.port(), card, algorithm, o.rounds), algorithm, o.rounds);
        std::fflush(stdout);
        const auto bytes = static_cast<std::size_t>(o.upload_mib * (1 << 20));
        print_upload(measure_upload(daemon.port(), kOrigin, daemon.pid(), card.pin, bytes,
                                    o.uploads, !o.nagle));
    } catch (...) {
        const auto log = daemon.log_text();
        std::cerr << "the daemon's log ends with:\n"
                  << log.substr(log.size() > 3000 ? log.size() - 3000 : 0);
        throw;
    }
    forget_daemon_on_signals();
    const int status = daemon.stop();
    std::printf("\nload average %s at the end; exit status after SIGTERM: %d\n",
                load_average().c_str(), status);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        run(parse_options(argc, argv));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "legacy_bench: " << e.what() << '\n';
        return 1;
    }
}
