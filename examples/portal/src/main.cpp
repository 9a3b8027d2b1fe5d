// cardbridge-portal: the reference portal's server (examples/portal/README.md).

#include <filesystem>
#include <iostream>
#include <string_view>
#include <vector>

#include "portal.hpp"

namespace {

std::filesystem::path program_directory(const char* argv0) {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) self = std::filesystem::absolute(argv0, ec);
    return self.parent_path();
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cardbridge::portal;
    Options options;
    try {
        options = parse_options(std::vector<std::string_view>(argv + 1, argv + argc));
    } catch (const HelpRequested&) {
        std::cout << usage_text();
        return 0;
    } catch (const UsageError& e) {
        std::cerr << "cardbridge-portal: " << e.what() << '\n' << usage_text();
        return 2;
    }
    try {
        Portal portal(options, system_clock(), program_directory(argv[0]) / "web");
        portal.stop_on_signals();
        std::cout << "cardbridge-portal: serving " << portal.origin() << " (listening on "
                  << portal.listening() << ")" << std::endl;
        portal.run();
        std::cerr << "cardbridge-portal: stopped\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "cardbridge-portal: " << e.what() << '\n';
        return 1;
    }
}
