#pragma once
// What benchmarks measure besides their own figures: wall time, this process's CPU time (the
// machine is often shared, so CPU is the steadier figure), and peak memory.
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <string>

namespace cairn::bench {

inline double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// CPU seconds (user + system) this process has used.
inline double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// Peak resident set size in MB: the kernel's high-water mark (VmHWM in /proc/self/status).
inline long peak_rss_mb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  return -1;
}

}  // namespace cairn::bench
