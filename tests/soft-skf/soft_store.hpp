#pragma once
// A store of soft devices for one test: a fresh directory that $CARDBRIDGE_SOFT_SKF_STORE
// names while the test runs, provisioned by running the real CLI as a process.

#include <filesystem>
#include <string>
#include <vector>

namespace cardbridge::softskf::test {

struct CliResult {
    int exit_code;
    std::string output;  // stdout and stderr together
};

/// Runs cardbridge-soft-skf with `arguments` (no --store added).
CliResult run_cli(const std::vector<std::string>& arguments);

/// A card directory of the test PKI the build generated, e.g. "trade-legal-sm2".
std::filesystem::path test_pki_card(const std::string& card);

class SoftStore {
public:
    SoftStore();  // and points the environment at it
    ~SoftStore();
    SoftStore(const SoftStore&) = delete;
    SoftStore& operator=(const SoftStore&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }

    /// The CLI with --store this store; the test fails on a non-zero exit when `check`.
    CliResult cli(std::vector<std::string> arguments, bool check = true) const;

    void create(const std::string& device, const std::string& serial = "SN-TEST-0001") const;
    /// The card's 9C key and certificate as the signing pair, its 9D as the encryption pair.
    void import_card(const std::string& device, const std::string& container,
                     const std::string& card, bool with_encryption = true) const;
    /// create() and import_card(device, "SIGN", card).
    void add_device(const std::string& device, const std::string& card) const;
    void plug(const std::string& device) const;
    void unplug(const std::string& device) const;

private:
    std::filesystem::path path_;
};

}  // namespace cardbridge::softskf::test
