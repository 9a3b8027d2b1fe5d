#pragma once
// What /proc tells about the daemon: memory, CPU time and how often its threads were switched
// in, summed over every thread (the idle target counts wake-ups of the whole process).

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace cardbridge::bench {

struct ProcessSample {
    std::uint64_t rss_kib = 0;           // VmRSS
    std::uint64_t hwm_kib = 0;           // VmHWM: peak VmRSS since start or the last reset
    std::uint64_t anon_rss_kib = 0;      // RssAnon: the heap and stacks, not mapped files
    std::uint64_t context_switches = 0;  // voluntary + nonvoluntary, all threads
    std::size_t threads = 0;
    double cpu_seconds = 0;  // user + system
};

ProcessSample sample_process(pid_t pid);

/// Sets VmHWM back to the current VmRSS (writes 5 to /proc/<pid>/clear_refs), so that the next
/// sample's peak belongs to what ran in between; false when the kernel refused.
bool reset_peak_rss(pid_t pid);

/// The soft "Max open files" limit the process runs with, as /proc shows it.
std::string open_files_limit(pid_t pid);

}  // namespace cardbridge::bench
