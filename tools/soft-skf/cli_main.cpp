// cardbridge-soft-skf: provisions the store of the soft SKF library (README.md).

#include <iostream>

#include "cli_commands.hpp"
#include "store_error.hpp"

using namespace cardbridge::softskf;
using namespace cardbridge::softskf::cli;

namespace {

void run(const Options& options) {
    const std::string& command = options.command;
    if (command == "create") return create_device(options);
    if (command == "import") return import_keys(options);
    if (command == "plug") return set_presence(options, true);
    if (command == "unplug") return set_presence(options, false);
    if (command == "remove") return remove_device(options);
    if (command == "list") return list_devices(options, std::cout);
    if (command == "show") return show_device(options, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Options options = parse_options(argc, argv);
        if (options.command.empty()) {
            std::cout << kUsage;
            return 0;
        }
        run(options);
        return 0;
    } catch (const UsageError& error) {
        std::cerr << "cardbridge-soft-skf: " << error.what() << "\n" << kUsage;
        return 2;
    } catch (const StoreError& error) {
        std::cerr << "cardbridge-soft-skf: " << error.what() << "\n";
        return 1;
    } catch (const std::exception& error) {
        std::cerr << "cardbridge-soft-skf: " << error.what() << "\n";
        return 1;
    }
}
