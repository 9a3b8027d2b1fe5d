#include "tokens/pkcs11/module_loader.hpp"

#include <p11-kit/p11-kit.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "cardbridge/protocol/error.hpp"
#include "log.hpp"

namespace cardbridge::daemon::tokens::pkcs11 {
namespace {

// Frees what p11-kit allocated with malloc (file names, options, the registry's array).
struct Free {
    void operator()(void* p) const noexcept { std::free(p); }
};
using CString = std::unique_ptr<char, Free>;

std::string text_of(CString text) {
    return text ? std::string(text.get()) : std::string();
}

// The same file under another name (a symlink such as /usr/lib/softhsm/libsofthsm2.so) is the
// same module.
std::string identity_of(const std::string& path) {
    std::error_code error;
    const auto canonical = std::filesystem::weakly_canonical(path, error);
    return error ? path : canonical.string();
}

std::string p11_kit_reason() {
    const char* message = p11_kit_message();
    return message ? message : "unknown error";
}

bool is_true(const std::string& value) {
    return value == "yes" || value == "true" || value == "on" || value == "1";
}

// Initializes `functions` (now owned by the Module) and adds it, or logs why not.
void adopt(CK_FUNCTION_LIST* functions, std::string path,
           std::vector<std::shared_ptr<Module>>& modules) {
    auto module = std::make_shared<Module>(functions, std::move(path));
    try {
        module->initialize();
    } catch (const Error& e) {
        log(LogLevel::warning, "PKCS#11 module " + module->path() + " skipped: " + e.what());
        return;
    }
    log(LogLevel::info, "PKCS#11 module " + module->path() + " loaded");
    modules.push_back(std::move(module));
}

void load_paths(const std::vector<std::string>& paths, std::set<std::string>& loaded,
                std::vector<std::shared_ptr<Module>>& modules) {
    for (const std::string& path : paths) {
        if (path.empty() || path.size() > kMaxPathBytes) {
            log(LogLevel::warning, "PKCS#11 module path empty or too long, skipped");
            continue;
        }
        if (loaded.size() >= kMaxModules) {
            log(LogLevel::warning, "more than " + std::to_string(kMaxModules) +
                                       " PKCS#11 modules; " + path + " skipped");
            continue;
        }
        if (!loaded.insert(identity_of(path)).second) continue;
        CK_FUNCTION_LIST* functions = p11_kit_module_load(path.c_str(), 0);
        if (functions == nullptr) {
            log(LogLevel::warning,
                "PKCS#11 module " + path + " could not be loaded: " + p11_kit_reason());
            continue;
        }
        // A relative path is found in p11-kit's module directory: the registry names the file
        // found there, so that is the name to compare with.
        const std::string loaded_from = text_of(CString(p11_kit_module_get_filename(functions)));
        if (!loaded_from.empty()) loaded.insert(identity_of(loaded_from));
        adopt(functions, path, modules);
    }
}

void load_registry(std::set<std::string>& loaded, std::vector<std::shared_ptr<Module>>& modules) {
    // p11-kit leaves out the modules whose enable-in / disable-in exclude this program.
    const std::unique_ptr<CK_FUNCTION_LIST*, Free> registry(p11_kit_modules_load(nullptr, 0));
    if (!registry) {
        log(LogLevel::warning, "p11-kit's module registry could not be read: " + p11_kit_reason());
        return;
    }
    for (CK_FUNCTION_LIST** entry = registry.get(); *entry != nullptr; ++entry) {
        CK_FUNCTION_LIST* functions = *entry;
        const std::string path = text_of(CString(p11_kit_module_get_filename(functions)));
        const std::string name = text_of(CString(p11_kit_module_get_name(functions)));
        const bool trust_policy =
            is_true(text_of(CString(p11_kit_config_option(functions, "trust-policy"))));
        const std::string file_name = std::filesystem::path(path).filename().string();
        std::string_view skip = registry_skips(file_name, trust_policy);
        if (skip.empty() && path.empty()) skip = "it names no module file";
        if (skip.empty() && loaded.count(identity_of(path)) != 0) skip = "already loaded";
        if (skip.empty() && loaded.size() >= kMaxModules) skip = "too many modules";
        if (!skip.empty()) {
            log(LogLevel::debug,
                "p11-kit registry module '" + name + "' not used: " + std::string(skip));
            p11_kit_module_release(functions);
            continue;
        }
        loaded.insert(identity_of(path));
        adopt(functions, path, modules);
    }
}

}  // namespace

std::string_view registry_skips(std::string_view file_name, bool trust_policy) noexcept {
    if (trust_policy) return "a trust-policy module (certificates to trust, no keys)";
    if (file_name == "opensc-pkcs11.so" || file_name == "onepin-opensc-pkcs11.so")
        return "OpenSC's module drives the PC/SC cards cardbridge serves itself; list it by "
               "path to use it";
    return {};
}

std::vector<std::shared_ptr<Module>> load_modules(const std::vector<std::string>& paths,
                                                  bool use_registry) {
    std::vector<std::shared_ptr<Module>> modules;
    std::set<std::string> loaded;
    load_paths(paths, loaded, modules);
    if (use_registry) load_registry(loaded, modules);
    return modules;
}

}  // namespace cardbridge::daemon::tokens::pkcs11
