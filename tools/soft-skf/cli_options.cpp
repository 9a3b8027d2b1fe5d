#include "cli_options.hpp"

#include <algorithm>

#include "device_store.hpp"

namespace cardbridge::softskf::cli {
namespace {

struct CommandSpec {
    const char* name;
    std::size_t arguments;
    std::vector<std::string> required;
    std::vector<std::string> optional;
};

const std::vector<CommandSpec>& commands() {
    static const std::vector<CommandSpec> specs = {
        {"create", 1, {"serial"}, {"label", "application", "user-pin", "admin-pin", "retries"}},
        {"import",
         1,
         {"container", "sign-key", "sign-cert"},
         {"enc-key", "enc-cert", "application"}},
        {"plug", 1, {}, {}},
        {"unplug", 1, {}, {}},
        {"remove", 1, {}, {}},
        {"list", 0, {}, {}},
        {"show", 1, {}, {}},
    };
    return specs;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

const char* const kUsage =
    "usage: cardbridge-soft-skf [--store DIR] COMMAND ...\n"
    "  create NAME --serial SERIAL [--label L] [--application EPORT] [--user-pin 88888888]\n"
    "         [--admin-pin 12345678] [--retries 3]\n"
    "  import NAME --container NAME --sign-key KEY.pem --sign-cert CERT(.der|.pem)\n"
    "         [--enc-key KEY.pem --enc-cert CERT] [--application APP]\n"
    "  plug NAME | unplug NAME | remove NAME | show NAME | list\n"
    "--store defaults to $CARDBRIDGE_SOFT_SKF_STORE. Soft devices are for tests only.\n";

std::optional<std::string> Options::value(const std::string& name) const {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
}

std::string Options::value_or(const std::string& name, std::string fallback) const {
    return value(name).value_or(std::move(fallback));
}

Options parse_options(int argc, char** argv) {
    Options options;
    std::optional<std::string> store;
    std::vector<std::string> words(argv + 1, argv + argc);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (word == "--help" || word == "-h") {
            options.command.clear();
            return options;
        }
        if (word.starts_with("--")) {
            const std::string name = word.substr(2);
            if (i + 1 == words.size()) throw UsageError(word + " needs a value");
            const std::string& value = words[++i];
            if (name == "store")
                store = value;
            else if (!options.values.emplace(name, value).second)
                throw UsageError(word + " given twice");
        } else if (options.command.empty()) {
            options.command = word;
        } else {
            options.arguments.push_back(word);
        }
    }
    if (options.command.empty()) throw UsageError("no command given");
    const auto spec = std::find_if(commands().begin(), commands().end(),
                                   [&](const auto& c) { return options.command == c.name; });
    if (spec == commands().end()) throw UsageError("unknown command \"" + options.command + "\"");
    if (options.arguments.size() != spec->arguments)
        throw UsageError(options.command + " takes " + std::to_string(spec->arguments) +
                         " argument(s), got " + std::to_string(options.arguments.size()));
    for (const auto& [name, value] : options.values)
        if (!contains(spec->required, name) && !contains(spec->optional, name))
            throw UsageError(options.command + " has no option --" + name);
    for (const std::string& name : spec->required)
        if (!options.values.contains(name)) throw UsageError(options.command + " needs --" + name);
    if (!store) {
        const auto from_environment = store_from_environment();
        if (!from_environment)
            throw UsageError(std::string("no --store given and $") + kStoreEnvironment +
                             " is not set");
        store = from_environment->string();
    }
    options.store = *store;
    return options;
}

}  // namespace cardbridge::softskf::cli
