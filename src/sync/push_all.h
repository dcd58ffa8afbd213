#pragma once
// Push-all (R17, D17), the run: entity by entity (organizations, locations, contacts,
// configurations) it pulls the PSA's current records once, plans (sync/push_all_plan.h), links
// what the PSA already has, then creates the rest one by one through the connector, each
// linked in its own transaction right after its create. A rerun starts from a fresh pull, so a
// record created before a kill but never linked is found by its match key and linked, not
// created twice. Stays within D19: it waits for the PSA's hourly budget to renew (Autotask)
// and keeps to the configured rate (ConnectWise) instead of failing. Recorded as a sync run
// (mode "push-all") whose counts carry its progress.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "psa/source.h"
#include "store/database.h"
#include "store/integrations.h"
#include "store/records.h"
#include "sync/push_all_plan.h"

namespace soci {
class session;
}

namespace cairn::sync {

// Time for push-all's pacing, injectable so tests and the bench do not really wait an hour.
struct PushAllClock {
  std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
  std::function<void(std::chrono::system_clock::time_point)> sleep_until = [](std::chrono::system_clock::time_point t) {
    std::this_thread::sleep_until(t);
  };
};

struct PushAllProgress {
  std::string entity;
  std::int64_t done = 0;   // candidates settled (linked, created, skipped or failed)
  std::int64_t total = 0;  // every candidate of the run
  std::int64_t linked = 0, created = 0, skipped = 0, failed = 0;
  double seconds = 0;  // since the start, waits included (on the run's clock)
  double rate() const { return seconds > 0 ? static_cast<double>(done) / seconds : 0; }
  // Seconds left at the rate so far, or -1 when there is nothing to tell it from.
  double eta_seconds() const;
};

struct PushAllOptions {
  bool dry_run = false;  // cairn plan --push-all: reads only, writes nothing
  // ConnectWise's configurable rate (D19): at most this many creates a second (0: no limit).
  double creates_per_second = 0;
  // What a create may spend of a budget (Autotask: the POST and the read-back): below this many
  // requests left, the run waits for the budget to renew before the next create.
  long requests_per_create = 4;
  std::function<void(const PushAllProgress&)> progress;  // after each record
  std::function<void(const std::string&)> notice;         // "waiting for ... until ..."
  PushAllClock clock;
  // A sync_runs row claimed already by start_push_all_run (the API answers with its id first); 0:
  // claim one (a run refused by a live one ends failed with the reason).
  std::int64_t run_id = 0;
};

struct PushAllReport {
  std::int64_t run_id = 0;  // 0 for a dry run
  std::string state;        // done, failed
  std::optional<std::string> error;
  PushAllTotals totals;
  std::vector<PushAllAction> actions;  // dry run: every one; a run: skips and failures
  std::int64_t linked = 0, created = 0, skipped = 0, failed = 0;
  std::int64_t linked_earlier = 0;  // links of the integration before the run (an earlier run's)
  std::int64_t requests = 0;
  double seconds = 0;         // on the run's clock, waits included
  double waited_seconds = 0;  // of which waiting for the PSA's budget or rate
  int waits = 0;
};

// Why push-all is refused for the integration (D13: two-way off; a PSA without push-all;
// paused), or nullopt.
std::optional<std::string> push_all_refusal(const store::Integration& integration);

// One push-all at a time per integration, across processes: the database is the lock. A run's
// sync_runs row is `running` with a heartbeat it renews every kPushAllHeartbeat from a thread of
// its own (so a wait for the PSA's budget or a long pull keeps it alive); a running row whose
// heartbeat is older than kPushAllStaleAfter belongs to a process that stopped (killed, crashed,
// the machine went down) and is marked failed with kPushAllInterrupted by the next start.
inline constexpr std::chrono::seconds kPushAllHeartbeat{5};
inline constexpr std::chrono::seconds kPushAllStaleAfter{30};
inline constexpr const char* kPushAllInterrupted = "interrupted: the process running it stopped";

// Claims the integration for a push-all in one transaction and makes the run's sync_runs row
// (state running), for callers that answer with its id first. Conflict while another push-all of
// the integration is live.
core::Result<std::int64_t> start_push_all_run(store::Database& db, std::int64_t integration_id);

// A Cairn record as push-all plans it.
PushAllCandidate push_all_candidate(core::SyncEntity e, const store::Record& record);

// Push-all's lookup for one unlinked record, made afresh (a pull of its entity; for entities the
// PSA lists per company, of its company only): the PSA records it matches by its match key that
// nobody in Cairn is linked to. `company`: the PSA id of its company ("" for an organization).
std::vector<core::PsaRecord> find_in_psa(soci::session& s, const store::Integration& integration, psa::Source& source,
                                         core::SyncEntity e, const store::Record& record, const std::string& company);

// Links a record to the PSA record it was created as or matched, as a push-all or the pusher
// does after its create; a "not pushed" mark on the record has had its answer. In the caller's
// transaction.
void link_to_psa(soci::session& s, std::int64_t integration_id, core::SyncEntity e, std::int64_t local_id,
                 const std::string& psa_id, const std::string& fingerprint);

// Runs (or, dry, plans) push-all of the integration through `source`. A PSA failure ends the
// run as failed with the reason; what was linked and created stays linked.
PushAllReport run_push_all(store::Database& db, const store::Integration& integration, psa::Source& source,
                           const PushAllOptions& options);

}  // namespace cairn::sync
