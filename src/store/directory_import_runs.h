#pragma once
// The log of directory imports (issue 7 item 4): one row per import, done or failed, with its
// counts or the clear message of why it failed, so a person sees an unreachable server or a
// refused password without reading the process's log. Also what the schedule reads: a source is
// due when its last import (done or failed) is schedule_hours old. The caller owns the transaction.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>


namespace soci {
class session;
}

namespace cairn::store {

struct DirectoryImportRun {
  std::int64_t id = 0;
  std::int64_t directory_source_id = 0;
  std::int64_t organization_id = 0;
  std::string started_by;  // "command", "schedule", "api"
  std::string state;       // "done" or "failed"
  std::string started_at, finished_at;
  std::string counts;  // JSON: users, pages, created, enriched, skipped, push-creates, push-updates, not-pushed
  std::string error;   // failed: what went wrong
};

class DirectoryImportRuns {
 public:
  explicit DirectoryImportRuns(soci::session& s) : s_(s) {}
  std::int64_t record(const DirectoryImportRun& run);
  std::optional<DirectoryImportRun> latest(std::int64_t directory_source_id);

 private:
  soci::session& s_;
};

// Whether a source with this schedule, last imported at `last_started_at` (nullopt: never), is due.
bool import_due(int schedule_hours, const std::optional<std::string>& last_started_at,
                std::chrono::system_clock::time_point now);

}  // namespace cairn::store
