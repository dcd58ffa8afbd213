#pragma once
// A sync run, PSA to Cairn (DESIGN.md "How data flows"): the connector's records go through the
// planner, and the actions are written in batches, each batch one transaction with its audit
// rows, its links and the run's checkpoint. A dry run (plan) writes nothing.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "psa/source.h"
#include "store/database.h"
#include "store/integrations.h"
#include "sync/plan.h"

namespace soci {
class session;
}

namespace cairn::sync {

struct Progress {
  std::string entity;
  std::int64_t records = 0;  // of this entity so far
  double seconds = 0;        // on this entity so far
  std::int64_t run_records = 0;       // of every entity so far
  std::int64_t expected_records = 0;  // what the last full sync read (0: unknown), for an ETA
  double run_seconds = 0;

  // Seconds left at the run's rate so far, or -1 when there is nothing to tell it from.
  double eta_seconds() const;
};

// One PSA record to sync now (a person's sync-now, a webhook), instead of whole entities.
struct OneRecord {
  core::SyncEntity entity = core::SyncEntity::Organization;
  std::string psa_id;
  std::string company;  // the PSA id of its company, for PSAs that keep locations under it
};

struct RunOptions {
  bool full = true;
  bool dry_run = false;  // cairn plan
  bool allow_mass_orphan = false;
  size_t batch = 500;
  bool keep_actions = false;  // return every action (plans); a sync keeps only the notable ones
  std::function<void(const Progress&)> progress;
  std::optional<OneRecord> only;  // fetch this record alone: no catalogue, no lists, no orphans of others
  std::string actor;  // who the audit rows name; "" names the sync ("sync:<kind> <name>")
};

struct RunReport {
  std::int64_t run_id = 0;  // 0 for a dry run
  Totals totals;
  std::vector<Action> actions;  // every action (keep_actions), else skips, ambiguities and orphans
  std::map<std::string, std::set<std::string>> new_lookups;
  std::int64_t requests = 0;
  std::int64_t records = 0;
  double seconds = 0;
  std::optional<std::string> stopped;  // D10
  std::string state;                   // done, stopped, failed
};

struct LocalState;
// The store's lookups and the integration's links, as a run starts (a sync, a push-all).
void load_lookups_and_links(soci::session& s, std::int64_t integration_id, LocalState& local);

// Runs one sync or plan of `integration` from `source`. Throws on failures it cannot record
// (the database is gone); a PSA failure ends the run as failed, with the reason on the run.
RunReport run_sync(store::Database& db, const store::Integration& integration, psa::Source& source,
                   const RunOptions& options);

}  // namespace cairn::sync
