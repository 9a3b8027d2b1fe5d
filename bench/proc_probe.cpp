#include "proc_probe.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cardbridge::bench {

namespace {

namespace fs = std::filesystem;

/// The number after `key` in a /proc status file; 0 when the line is missing.
std::uint64_t status_value(const fs::path& status, const std::string& key) {
    std::ifstream in(status);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(key)) return std::stoull(line.substr(key.size()));
    return 0;
}

double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string skip;
    for (int field = 3; field < 14; ++field) fields >> skip;
    double user_ticks = 0, system_ticks = 0;
    fields >> user_ticks >> system_ticks;
    return (user_ticks + system_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

ProcessSample sample_process(pid_t pid) {
    const fs::path proc = "/proc/" + std::to_string(pid);
    if (!fs::exists(proc))
        throw std::runtime_error("the daemon (pid " + std::to_string(pid) + ") is gone");
    ProcessSample sample;
    sample.rss_kib = status_value(proc / "status", "VmRSS:");
    sample.hwm_kib = status_value(proc / "status", "VmHWM:");
    sample.anon_rss_kib = status_value(proc / "status", "RssAnon:");
    for (const auto& task : fs::directory_iterator(proc / "task")) {
        ++sample.threads;
        sample.context_switches +=
            status_value(task.path() / "status", "voluntary_ctxt_switches:") +
            status_value(task.path() / "status", "nonvoluntary_ctxt_switches:");
    }
    sample.cpu_seconds = cpu_seconds(pid);
    return sample;
}

bool reset_peak_rss(pid_t pid) {
    std::ofstream out("/proc/" + std::to_string(pid) + "/clear_refs");
    out << "5";
    out.flush();
    return static_cast<bool>(out);
}

std::string open_files_limit(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("Max open files")) {
            std::istringstream words(line.substr(std::string("Max open files").size()));
            std::string soft;
            words >> soft;
            return soft;
        }
    return "?";
}

}  // namespace cardbridge::bench
