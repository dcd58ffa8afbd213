#include "sim/request_log.h"

#include <nlohmann/json.hpp>

namespace cairn::sim {

namespace {
bool selected(const std::string& method, const std::string& target, const std::string& want_method,
              const std::string& prefix) {
  return (want_method.empty() || method == want_method) && target.compare(0, prefix.size(), prefix) == 0;
}
}  // namespace

void RequestLog::record(const std::string& method, const std::string& target) {
  std::lock_guard lock(mu_);
  ++counts_[{target, method}];
  ++total_;
}

void RequestLog::record_write(const std::string& method, const std::string& target, const std::string& body, int status) {
  std::lock_guard lock(mu_);
  if (writes_.size() >= kMaxWrites) writes_.erase(writes_.begin());
  writes_.push_back({method, target, body, status});
}

std::vector<LoggedWrite> RequestLog::writes(const std::string& method, const std::string& path_prefix) const {
  std::lock_guard lock(mu_);
  std::vector<LoggedWrite> out;
  for (const auto& w : writes_)
    if (selected(w.method, w.target, method, path_prefix)) out.push_back(w);
  return out;
}

void RequestLog::reset() {
  std::lock_guard lock(mu_);
  writes_.clear();
  counts_.clear();
  total_ = 0;
}

std::uint64_t RequestLog::total() const {
  std::lock_guard lock(mu_);
  return total_;
}

std::uint64_t RequestLog::count(const std::string& method, const std::string& path_prefix) const {
  std::lock_guard lock(mu_);
  std::uint64_t n = 0;
  for (const auto& [key, c] : counts_)
    if (selected(key.second, key.first, method, path_prefix)) n += c;
  return n;
}

std::string RequestLog::to_json(const std::string& method, const std::string& path_prefix) const {
  std::lock_guard lock(mu_);
  nlohmann::json list = nlohmann::json::array();
  std::uint64_t n = 0;
  for (const auto& [key, c] : counts_) {
    if (!selected(key.second, key.first, method, path_prefix)) continue;
    const auto q = key.first.find('?');
    list.push_back({{"method", key.second},
                    {"path", key.first.substr(0, q)},
                    {"query", q == std::string::npos ? "" : key.first.substr(q + 1)},
                    {"count", c}});
    n += c;
  }
  return nlohmann::json{{"total", n}, {"requests", list}}.dump();
}

}  // namespace cairn::sim
