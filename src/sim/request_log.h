#pragma once
// Counts of the PSA API requests an emulator answered, by method and target (path with its
// query string), so tests can prove how many calls a sync made. Admin requests are not counted.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace cairn::sim {

// One write (POST, PATCH, PUT, DELETE) the emulator answered.
struct LoggedWrite {
  std::string method, target, body;
  int status = 0;
};

class RequestLog {
 public:
  // Keeps the last kMaxWrites writes the emulator itself answered (not the faults' refusals).
  void record_write(const std::string& method, const std::string& target, const std::string& body, int status);
  // The kept writes whose method matches (empty: any) and whose target starts with path_prefix, oldest first.
  std::vector<LoggedWrite> writes(const std::string& method = "", const std::string& path_prefix = "") const;
  static constexpr std::size_t kMaxWrites = 10000;
  void record(const std::string& method, const std::string& target);
  void reset();
  std::uint64_t total() const;
  // Requests whose method matches (empty: any) and whose path starts with path_prefix.
  std::uint64_t count(const std::string& method, const std::string& path_prefix) const;
  // {"total":N,"requests":[{"method","path","query","count"}...]} sorted by path then method,
  // filtered like count().
  std::string to_json(const std::string& method = "", const std::string& path_prefix = "") const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> counts_;  // (target, method)
  std::uint64_t total_ = 0;
  std::vector<LoggedWrite> writes_;
};

}  // namespace cairn::sim
