#pragma once
// What the bench learns from its surroundings: the cards vcard-env started (from the
// environment it sets, tests/harness/README.md) and the machine it runs on.

#include <filesystem>
#include <string>
#include <vector>

#include "login_bench.hpp"

namespace cardbridge::bench {

/// Every card of the vcard-env run, with the PIN its test-PKI profile ships with.
std::vector<BenchCard> harness_cards();
/// The test PKI's CA certificates, next to the cards' profiles.
std::filesystem::path ca_bundle();

/// "2 CPUs (AMD EPYC)".
std::string machine();
/// The 1, 5 and 15 minute load averages.
std::string load_average();

}  // namespace cardbridge::bench
