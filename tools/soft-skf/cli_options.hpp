#pragma once
// The command line of cardbridge-soft-skf (README.md, "The CLI"): a command, its positional
// arguments and its --options, checked against what that command accepts.

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cardbridge::softskf::cli {

/// A command line the tool cannot act on: exit code 2 and the usage text.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Options {
    std::filesystem::path store;  // --store, else $CARDBRIDGE_SOFT_SKF_STORE
    std::string command;          // empty with --help
    std::vector<std::string> arguments;
    std::map<std::string, std::string> values;  // option name without "--" → value

    std::optional<std::string> value(const std::string& name) const;
    std::string value_or(const std::string& name, std::string fallback) const;
};

extern const char* const kUsage;

/// Throws UsageError for an unknown command or option, a missing value or argument.
Options parse_options(int argc, char** argv);

}  // namespace cardbridge::softskf::cli
