// stage_browser_manifests ROOT HOST: writes the system-wide native-messaging host manifests the
// package installs, each at ROOT + its browser's system directory, naming HOST. The same places
// and contents as `cardbridge install-browser-integration --system`, but for a build, where HOST
// (the installed /usr/bin/cardbridge-host) does not exist yet, so nothing checks it here.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <stdexcept>
#include <string>

#include "browser_manifests.hpp"

namespace fs = std::filesystem;
using namespace cardbridge::cli;

namespace {

void write_manifest(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream stream(file, std::ios::binary | std::ios::trunc);
    stream << text;
    stream.close();
    if (!stream) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3 || !fs::path(argv[1]).is_absolute() || !fs::path(argv[2]).is_absolute()) {
        std::cerr << "usage: stage_browser_manifests ROOT HOST (both absolute paths)\n";
        return 2;
    }
    const fs::path root = argv[1];
    const fs::path host = argv[2];
    // Browsers that share a directory (Brave reads Chrome's) share one file: written once.
    std::set<fs::path> written;
    try {
        for (const auto& place : manifest_places(Scope::system, {}, std::nullopt)) {
            const auto file = root / place.directory.relative_path() / kManifestName;
            if (written.insert(file).second)
                write_manifest(file, manifest_for(place.browser->family, host).dump(2) + "\n");
            std::cout << place.browser->name << ": " << file.string() << "\n";
        }
    } catch (const std::exception& e) {
        std::cerr << "stage_browser_manifests: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
