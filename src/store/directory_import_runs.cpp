#include "store/directory_import_runs.h"

#include <soci/soci.h>

#include "core/time.h"

namespace cairn::store {

std::int64_t DirectoryImportRuns::record(const DirectoryImportRun& run) {
  long long id = 0;
  std::string counts = run.counts.empty() ? std::string("{}") : run.counts, error = run.error;
  soci::indicator error_ind = error.empty() ? soci::i_null : soci::i_ok;
  s_ << "INSERT INTO directory_import_runs (directory_source_id, organization_id, started_by, state, started_at, "
        "finished_at, counts, error) VALUES (:s, :o, :b, :st, :a, :f, :c, :e) RETURNING id",
      soci::use(run.directory_source_id), soci::use(run.organization_id), soci::use(run.started_by),
      soci::use(run.state), soci::use(run.started_at), soci::use(run.finished_at), soci::use(counts),
      soci::use(error, error_ind), soci::into(id);
  return id;
}

std::optional<DirectoryImportRun> DirectoryImportRuns::latest(std::int64_t directory_source_id) {
  soci::rowset<soci::row> rs =
      (s_.prepare << "SELECT CAST(id AS TEXT), CAST(directory_source_id AS TEXT), CAST(organization_id AS TEXT), "
                     "started_by, state, started_at, finished_at, counts, error FROM directory_import_runs "
                     "WHERE directory_source_id = :s ORDER BY id DESC LIMIT 1",
       soci::use(directory_source_id));
  for (const auto& r : rs) {
    auto text = [&](size_t i) { return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i); };
    DirectoryImportRun run;
    run.id = std::stoll(text(0));
    run.directory_source_id = std::stoll(text(1));
    run.organization_id = std::stoll(text(2));
    run.started_by = text(3);
    run.state = text(4);
    run.started_at = text(5);
    run.finished_at = text(6);
    run.counts = text(7);
    run.error = text(8);
    return run;
  }
  return std::nullopt;
}

bool import_due(int schedule_hours, const std::optional<std::string>& last_started_at,
                std::chrono::system_clock::time_point now) {
  if (schedule_hours <= 0) return false;
  if (!last_started_at) return true;
  auto at = core::parse_datetime(*last_started_at);
  if (!at) return true;
  return now - *at >= std::chrono::hours(schedule_hours);
}

}  // namespace cairn::store
