#pragma once
// auth.login through the daemon against the same card work without it. The three kinds are
// interleaved, one of each per round in an order that turns, so that all of them see the same
// machine load:
// - daemon: auth.login over WebSocket, from sending the request to reading the answer;
// - in process: what the daemon's card worker runs for that login (its PivToken with
//   pin_state, then tokens::login), host-side crypto included, in this process;
// - APDU floor: the raw APDUs of that in-process login replayed through libpcsclite in the
//   same transactions (bench/apdu_recorder.hpp), nothing computed on the host.

#include <cstdint>
#include <filesystem>
#include <string>

#include "stats.hpp"

namespace cardbridge::bench {

struct BenchCard {
    std::string reader;  // the PC/SC reader name
    std::string name;    // the test-PKI card name
    std::string pin;
};

struct LoginResult {
    std::string algorithm;         // the login token's, e.g. "RS256"
    std::size_t apdus = 0;         // raw APDUs per login (GET RESPONSE included)
    std::size_t transactions = 0;  // PC/SC transactions per login
    Percentiles daemon;
    Percentiles in_process;
    Percentiles apdu_floor;
};

/// Verifies the card's PIN through the daemon, then `rounds` measured rounds after `warmup`
/// unmeasured ones. The first measured token of the daemon and of the in-process login is
/// checked against `ca_bundle` as a portal's server would.
LoginResult measure_login(std::uint16_t port, const std::string& origin, const BenchCard& card,
                          const std::filesystem::path& ca_bundle, int rounds, int warmup);

}  // namespace cardbridge::bench
