#include "sync/scheduler.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "core/time.h"
#include "store/directory_import_runs.h"
#include "store/directory_sources.h"
#include "store/integrations.h"
#include "store/secrets.h"
#include "sync/ad_import.h"
#include "sync/connectors.h"
#include "sync/engine.h"

namespace cairn::sync {

Scheduler::Scheduler(store::Database& db, std::chrono::milliseconds tick, bool due_runs)
    : db_(db), tick_(tick), due_runs_(due_runs) {}
Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  if (worker_.joinable()) return;
  stopping_ = false;
  worker_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  stopping_ = true;
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  stopping_ = false;  // run_due_imports works again when called directly
}

bool Scheduler::request(std::int64_t id, bool full) {
  std::lock_guard lock(mutex_);
  if (pending_.count(id)) return false;
  pending_.insert(id);
  queue_.emplace_back(id, full);
  wake_.notify_all();
  return true;
}

bool Scheduler::busy(std::int64_t id) {
  std::lock_guard lock(mutex_);
  return pending_.count(id) > 0;
}

void Scheduler::enqueue_due() {
  soci::session s(db_.pool());
  auto key = store::master_key_for(db_);
  if (!key) return;
  store::Integrations integrations(s, db_.dialect(), key.value());
  auto now = core::Clock::now();
  for (const auto& i : integrations.list()) {
    if (i.state == store::IntegrationState::Paused) continue;
    auto last = [&](const char* mode) -> std::optional<core::Clock::time_point> {
      std::string at;
      soci::indicator ind = soci::i_null;
      s << std::string("SELECT MAX(started_at) FROM sync_runs WHERE integration_id = :i AND state <> 'failed'") +
               (std::string(mode) == "full" ? " AND mode = 'full'" : " AND mode <> 'record'"),
          soci::use(i.id), soci::into(at, ind);
      if (ind != soci::i_ok) return std::nullopt;
      return core::parse_datetime(at);
    };
    auto full = last("full"), any = last("any");
    if (!full || now - *full >= std::chrono::hours(i.settings.full_hours)) request(i.id, true);
    else if (!any || now - *any >= std::chrono::minutes(i.settings.incremental_minutes)) request(i.id, false);
  }
}

int Scheduler::run_due_imports() {
  auto key = store::master_key_for(db_);
  if (!key) return 0;
  std::vector<store::DirectorySource> due;
  {
    soci::session s(db_.pool());
    store::DirectorySources sources(s, db_.dialect(), key.value());
    store::DirectoryImportRuns runs(s);
    const auto now = core::Clock::now();
    for (auto& d : sources.list()) {
      auto last = runs.latest(d.id);
      if (store::import_due(d.schedule_hours, last ? std::optional<std::string>(last->started_at) : std::nullopt, now))
        due.push_back(std::move(d));
    }
  }
  int ran = 0;
  for (const auto& d : due) {
    if (stopping_) break;
    AdImportOptions o;
    o.started_by = "schedule";
    auto result = run_ad_import(db_, d, o);
    ++ran;
    if (result)
      spdlog::info("directory_source={} organization={} import run={} {}", d.id, d.organization_id, result->run_id,
                   summary_line(*result));
    else
      spdlog::warn("directory_source={} organization={} import failed: {}", d.id, d.organization_id,
                   result.error().detail);
  }
  return ran;
}

void Scheduler::run_one(std::int64_t id, bool full) {
  try {
    auto integration = read_integration(db_, id);
    if (!integration || integration->state == store::IntegrationState::Paused) return;
    auto source = make_source(*integration);
    RunOptions o;
    o.full = full;
    auto report = run_sync(db_, *integration, *source, o);
    spdlog::info("integration={} sync {} run={} state={} records={} requests={} seconds={:.1f}{}", id,
                 full ? "full" : "incremental", report.run_id, report.state, report.records, report.requests,
                 report.seconds, report.stopped ? " reason=" + *report.stopped : "");
  } catch (const std::exception& e) {
    spdlog::error("integration={} sync failed: {}", id, e.what());
  }
}

void Scheduler::loop() {
  auto next_check = std::chrono::steady_clock::now();
  while (!stopping_) {
    if (std::chrono::steady_clock::now() >= next_check) {
      try {
        if (due_runs_) enqueue_due();
      } catch (const std::exception& e) {
        spdlog::error("scheduler: {}", e.what());
      }
      try {
        if (due_runs_) run_due_imports();
      } catch (const std::exception& e) {
        spdlog::error("scheduler: directory imports: {}", e.what());
      }
      next_check = std::chrono::steady_clock::now() + tick_;
    }
    std::pair<std::int64_t, bool> job{0, false};
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_check, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      if (queue_.empty()) continue;
      job = queue_.front();
      queue_.pop_front();
    }
    run_one(job.first, job.second);
    std::lock_guard lock(mutex_);
    pending_.erase(job.first);
  }
}

}  // namespace cairn::sync
