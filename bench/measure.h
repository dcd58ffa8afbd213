#pragma once
// What benchmarks measure besides their own figures: wall time, this process's CPU time (the
// machine is often shared, so CPU is the steadier figure), and peak memory.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

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

// Resident memory from /proc/self/status, in MB: all of it, the process's own pages (anonymous:
// heap and stacks) and file-backed ones (the binary's, and a database file SQLite maps into memory).
struct Resident {
  long total_mb = -1, anon_mb = -1, file_mb = -1;
};

inline Resident resident_now() {
  Resident r;
  std::ifstream in("/proc/self/status");
  auto mb = [](const std::string& line, size_t prefix) { return std::stol(line.substr(prefix)) / 1024; };
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) r.total_mb = mb(line, 6);
    else if (line.rfind("RssAnon:", 0) == 0) r.anon_mb = mb(line, 8);
    else if (line.rfind("RssFile:", 0) == 0) r.file_mb = mb(line, 8);
  }
  return r;
}

// Resets the kernel's high-water mark, so peak_rss_mb() then tells one phase's peak alone.
inline bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  return static_cast<bool>(out.flush());
}

// Samples resident memory every 20 ms on its own thread and keeps each part's peak: the kernel
// keeps the total's alone, and a database file mapped into memory counts in it.
class MemorySampler {
 public:
  MemorySampler() : thread_([this] {
      while (!stop_) {
        sample();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }) {}
  ~MemorySampler() { stop(); }
  MemorySampler(const MemorySampler&) = delete;
  MemorySampler& operator=(const MemorySampler&) = delete;
  // Stops sampling and returns the peaks.
  Resident stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    sample();
    return peak_;
  }

 private:
  void sample() {
    Resident r = resident_now();
    peak_.total_mb = std::max(peak_.total_mb, r.total_mb);
    peak_.anon_mb = std::max(peak_.anon_mb, r.anon_mb);
    peak_.file_mb = std::max(peak_.file_mb, r.file_mb);
  }
  Resident peak_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cairn::bench
