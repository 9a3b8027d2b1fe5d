#include "harness_env.hpp"


#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace cardbridge::bench {

namespace {

std::string env(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr)
        throw std::runtime_error(name + " is not set: run under vcard-env (bench/run.sh)");
    return value;
}

std::string first_line(const std::filesystem::path& file, const std::string& prefix) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(prefix)) return line.substr(line.find(':') + 2);
    return "?";
}

}  // namespace

std::vector<BenchCard> harness_cards() {
    std::vector<BenchCard> cards;
    for (int n = 1; n <= std::stoi(env("CARDBRIDGE_VCARD_COUNT")); ++n) {
        const auto prefix = "CARDBRIDGE_VCARD" + std::to_string(n) + "_";
        const auto name = std::filesystem::path(env(prefix + "PROFILE")).filename().string();
        // E-Port cards ship with 88888888, PIV cards with 123456 (tools/test-pki/README.md).
        cards.push_back({env(prefix + "READER"), name,
                         name.find("p256") != std::string::npos ? "123456" : "88888888"});
    }
    return cards;
}

std::filesystem::path ca_bundle() {
    return std::filesystem::path(env("CARDBRIDGE_VCARD1_PROFILE")) / "../../ca/bundle.pem";
}

std::string machine() {
    return std::to_string(std::thread::hardware_concurrency()) + " CPUs (" +
           first_line("/proc/cpuinfo", "model name") + ")";
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

}  // namespace cardbridge::bench
