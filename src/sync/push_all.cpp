#include "sync/push_all.h"

#include <nlohmann/json.hpp>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>

#include "core/psa_capabilities.h"
#include "core/schema.h"
#include "core/time.h"
#include "store/outbox.h"
#include "store/records.h"
#include "sync/engine.h"
#include "sync/planner.h"
#include "sync/push_changes.h"
#include "sync/reconcile.h"

namespace cairn::sync {

using core::SyncEntity;
using TimePoint = std::chrono::system_clock::time_point;

double PushAllProgress::eta_seconds() const {
  if (done <= 0 || seconds <= 0 || total <= 0) return -1;
  if (done >= total) return 0;
  return static_cast<double>(total - done) * seconds / static_cast<double>(done);
}

std::optional<std::string> push_all_refusal(const store::Integration& integration) {
  const auto* caps = core::capabilities_for(integration.kind);
  const std::string name = caps ? std::string(caps->display_name) : integration.kind;
  const std::string id = std::to_string(integration.id);
  if (!caps || !caps->push_all)
    return name + " has no push-all" + (caps && !caps->no_two_way_reason.empty() ? ": " + std::string(caps->no_two_way_reason) : "");
  if (!integration.settings.two_way)
    return "two-way sync is off for integration " + id + " (D13); turn it on first: cairn integration settings " + id +
           " --two-way on";
  if (integration.state == store::IntegrationState::Paused)
    return "integration " + id + " is paused; `cairn integration resume " + id + "` first";
  return std::nullopt;
}

namespace {

// The integration's running push-all, if any: its id and last heartbeat.
std::optional<std::pair<std::int64_t, std::string>> running_push_all(soci::session& s, std::int64_t integration_id) {
  long long id = 0;
  std::string beat;
  soci::indicator id_ind = soci::i_null, beat_ind = soci::i_null;
  s << "SELECT id, heartbeat_at FROM sync_runs WHERE integration_id = :i AND mode = 'push-all' AND state = 'running' "
       "ORDER BY id DESC LIMIT 1",
      soci::use(integration_id), soci::into(id, id_ind), soci::into(beat, beat_ind);
  if (id_ind != soci::i_ok) return std::nullopt;
  return std::make_pair(static_cast<std::int64_t>(id), beat_ind == soci::i_ok ? beat : std::string());
}

core::Error already_running(std::int64_t integration_id, const std::pair<std::int64_t, std::string>& run) {
  return core::conflict("a push-all of integration " + std::to_string(integration_id) + " is running (run " +
                        std::to_string(run.first) + ", alive at " + (run.second.empty() ? "?" : run.second) +
                        "); one push-all at a time per integration. If its process has stopped, the next start "
                        "takes it over once its heartbeat is " + std::to_string(kPushAllStaleAfter.count()) + " s old");
}

}  // namespace

core::Result<std::int64_t> start_push_all_run(store::Database& db, std::int64_t integration_id) {
  soci::session s(db.pool());
  const auto now_tp = core::Clock::now();
  const std::string now = core::rfc3339(now_tp), stale_before = core::rfc3339(now_tp - kPushAllStaleAfter),
                    interrupted = kPushAllInterrupted;
  try {
    store::Transaction tx(s, db.dialect());
    // A running row gone quiet is not live: its process stopped. It ended at its last sign of life.
    s << "UPDATE sync_runs SET state = 'failed', error = :e, finished_at = COALESCE(heartbeat_at, started_at) "
         "WHERE integration_id = :i AND mode = 'push-all' AND state = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < :t)",
        soci::use(interrupted), soci::use(integration_id), soci::use(stale_before);
    if (auto live = running_push_all(s, integration_id)) return already_running(integration_id, *live);
    long long id = 0;
    s << "INSERT INTO sync_runs (integration_id, mode, state, started_at, heartbeat_at) "
         "VALUES (:i, 'push-all', 'running', :t, :h) RETURNING id",
        soci::use(integration_id), soci::use(now), soci::use(now), soci::into(id);
    tx.commit();
    return static_cast<std::int64_t>(id);
  } catch (const soci::soci_error&) {
    // Two starts at once on PostgreSQL: the unique index on running push-alls turns the second away.
    soci::session again(db.pool());
    if (auto live = running_push_all(again, integration_id)) return already_running(integration_id, *live);
    throw;
  }
}

namespace {

// Renews the run's heartbeat from a thread of its own, on a session of its own, until destroyed.
// If the row is no longer running (a start took it over after the heartbeat went stale, say the
// process was stopped for a while), lost() turns true and the run stops before its next create.
class PushAllHeartbeat {
 public:
  PushAllHeartbeat(store::Database& db, std::int64_t run_id) : db_(db), run_id_(run_id) {
    if (run_id_) thread_ = std::thread([this] { loop(); });
  }
  ~PushAllHeartbeat() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool lost() const { return lost_; }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, kPushAllHeartbeat, [this] { return stopping_; })) {
      lock.unlock();
      try {
        soci::session s(db_.pool());
        const std::string now = core::now_rfc3339();
        soci::statement st = (s.prepare << "UPDATE sync_runs SET heartbeat_at = :h WHERE id = :id AND state = 'running'",
                              soci::use(now), soci::use(run_id_));
        st.execute(true);
        if (st.get_affected_rows() == 0) lost_ = true;
      } catch (const std::exception& e) {
        spdlog::warn("push-all run={}: heartbeat not written: {}", run_id_, e.what());  // the next beat tries again
      }
      lock.lock();
    }
  }
  store::Database& db_;
  const std::int64_t run_id_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<bool> lost_{false};
  std::thread thread_;
};

const SyncEntity kOrder[] = {SyncEntity::Organization, SyncEntity::Location, SyncEntity::Contact,
                             SyncEntity::Configuration};

// Records of an entity with no link at all (a record is linked to one integration at most).
std::string unlinked_ids_sql(SyncEntity e) {
  const std::string entity = core::link_entity(e);
  return std::string("SELECT CAST(b.id AS TEXT) FROM ") + core::entity_type(e) +
         " b WHERE NOT EXISTS (SELECT 1 FROM psa_links l WHERE l.entity = '" + entity +
         "' AND l.local_id = b.id) ORDER BY b.id";
}

std::vector<std::int64_t> unlinked_ids(soci::session& s, SyncEntity e) {
  std::vector<std::int64_t> ids;
  soci::rowset<std::string> rs = (s.prepare << unlinked_ids_sql(e));
  for (const auto& id : rs) ids.push_back(std::stoll(id));
  return ids;
}

// `queued`: the records with a save's create waiting in the outbox.
std::vector<PushAllCandidate> candidates_of(store::Records& records, SyncEntity e, const std::vector<std::int64_t>& ids,
                                            const std::set<std::int64_t>& queued) {
  const auto& schema = core::entity(core::entity_type(e));
  std::vector<PushAllCandidate> out;
  out.reserve(ids.size());
  for (size_t from = 0; from < ids.size(); from += 1000) {
    std::vector<std::int64_t> chunk(ids.begin() + static_cast<std::ptrdiff_t>(from),
                                    ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + 1000)));
    for (auto& r : records.load(schema, chunk)) {
      out.push_back(push_all_candidate(e, r));
      out.back().create_queued = queued.count(r.id) > 0;
    }
  }
  return out;
}

std::int64_t links_of(soci::session& s, std::int64_t integration_id) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM psa_links WHERE integration_id = :i", soci::use(integration_id), soci::into(n);
  return n;
}

// A push-all create does not wait for what it refers to besides its company: a reference to a
// record that is not in the PSA (skipped, or failed) is left out, and a later save or sync
// sets it.
std::string without_unpushed_refs(soci::session& s, std::int64_t integration_id, const std::string& payload) {
  auto p = nlohmann::json::parse(payload.empty() ? "{}" : payload, nullptr, false);
  if (!p.is_object() || !p.contains("refs") || !p["refs"].is_object()) return payload.empty() ? "{}" : payload;
  for (auto it = p["refs"].begin(); it != p["refs"].end();) {
    const auto& ref = it.value();
    const bool in_psa = ref.is_object() && ref.contains("entity") && ref["entity"].is_string() && ref.contains("local_id") &&
                        ref["local_id"].is_number_integer() &&
                        linked_psa_id(s, integration_id, ref["entity"].get<std::string>(), ref["local_id"].get<std::int64_t>());
    if (in_psa) ++it;
    else it = p["refs"].erase(it);
  }
  return p.dump();
}

std::string counts_json(const PushAllReport& r, const PushAllProgress& p) {
  nlohmann::json j;
  j["push_all"] = {{"linked", r.linked},   {"created", r.created},          {"skipped", r.skipped},
                   {"failed", r.failed},   {"linked_earlier", r.linked_earlier}, {"done", p.done},
                   {"total", p.total},     {"rate", p.rate()},              {"eta_seconds", p.eta_seconds()},
                   {"waits", r.waits},     {"waited_seconds", r.waited_seconds}};
  j["by_entity"] = r.totals;
  j["requests"] = r.requests;
  return j.dump();
}

}  // namespace

PushAllCandidate push_all_candidate(SyncEntity e, const store::Record& record) {
  const auto& schema = core::entity(core::entity_type(e));
  PushAllCandidate c;
  c.entity = e;
  c.id = record.id;
  for (const auto& f : schema.fields) c.values[f.name] = record.values[f.index];
  return c;
}

std::vector<core::PsaRecord> find_in_psa(soci::session& s, const store::Integration& integration, psa::Source& source,
                                         SyncEntity e, const store::Record& record, const std::string& company) {
  LocalState state;
  load_lookups_and_links(s, integration.id, state);
  PushAllPlanner planner(integration.kind, integration.settings, state);
  std::vector<core::PsaRecord> in_psa;
  source.pull(e, "", company.empty() ? planner.companies_in_psa() : std::vector<std::string>{company},
              [&](const core::PsaRecord& r) { in_psa.push_back(r); });
  std::vector<core::PsaRecord> out;
  for (size_t i : planner.find_in_psa(e, push_all_candidate(e, record), in_psa)) out.push_back(std::move(in_psa[i]));
  return out;
}

void link_to_psa(soci::session& s, std::int64_t integration_id, SyncEntity e, std::int64_t local_id,
                 const std::string& psa_id, const std::string& fingerprint) {
  const std::string entity = core::link_entity(e), now = core::now_rfc3339();
  s << "INSERT INTO psa_links (integration_id, entity, local_id, psa_id, state, fingerprint, created_at, updated_at) "
       "VALUES (:i, :e, :l, :p, 'syncing', :f, :c, :u)",
      soci::use(integration_id), soci::use(entity), soci::use(local_id), soci::use(psa_id), soci::use(fingerprint),
      soci::use(now), soci::use(now);
  s << "DELETE FROM outbox WHERE entity = :e AND local_id = :l AND state = 'not-pushed'", soci::use(entity),
      soci::use(local_id);
}

PushAllReport run_push_all(store::Database& db, const store::Integration& integration, psa::Source& source,
                           const PushAllOptions& options) {
  PushAllReport report;
  const auto& clock = options.clock;
  const TimePoint started = clock.now();
  auto elapsed = [&] { return std::chrono::duration<double>(clock.now() - started).count(); };
  // Before the run's session, so that session is back in the pool when the heartbeat is joined.
  std::optional<PushAllHeartbeat> heartbeat;
  soci::session s(db.pool());
  const auto* caps = core::capabilities_for(integration.kind);
  const std::string psa_name = caps ? std::string(caps->display_name) : integration.kind;
  report.linked_earlier = links_of(s, integration.id);

  if (auto refused = push_all_refusal(integration)) {
    report.state = "failed";
    report.error = refused;
    if (options.run_id && !options.dry_run) {  // claimed already: the run ends here, not when its heartbeat goes stale
      const std::string finished = core::now_rfc3339();
      s << "UPDATE sync_runs SET state = 'failed', finished_at = :f, error = :e WHERE id = :id", soci::use(finished),
          soci::use(*refused), soci::use(options.run_id);
      report.run_id = options.run_id;
    }
    return report;
  }
  if (!options.dry_run) {
    if (options.run_id) {
      report.run_id = options.run_id;
    } else {
      auto claimed = start_push_all_run(db, integration.id);
      if (!claimed) {
        report.state = "failed";
        report.error = claimed.error().detail;
        return report;
      }
      report.run_id = claimed.value();
    }
    heartbeat.emplace(db, report.run_id);
  }
  // Before each entity and each create: a run whose claim was taken over stops writing.
  auto still_claimed = [&] {
    if (heartbeat && heartbeat->lost())
      throw std::runtime_error("another push-all took this integration over after this run's heartbeat went stale");
  };

  PushAllProgress progress;
  for (auto e : kOrder) progress.total += static_cast<std::int64_t>(unlinked_ids(s, e).size());
  auto last_saved = std::chrono::steady_clock::now();
  auto save_progress = [&](bool now) {
    if (options.dry_run) return;
    if (!now && std::chrono::steady_clock::now() - last_saved < std::chrono::seconds(1)) return;
    last_saved = std::chrono::steady_clock::now();
    report.requests = source.requests();
    std::string counts = counts_json(report, progress), checkpoint = progress.entity + ":" + std::to_string(progress.done);
    const std::string beat = core::now_rfc3339();
    s << "UPDATE sync_runs SET counts = :c, checkpoint = :k, heartbeat_at = :h WHERE id = :id", soci::use(counts),
        soci::use(checkpoint), soci::use(beat), soci::use(report.run_id);
  };
  auto settled = [&](const PushAllAction& a) {
    ++progress.done;
    progress.linked = report.linked;
    progress.created = report.created;
    progress.skipped = report.skipped;
    progress.failed = report.failed;
    progress.seconds = elapsed();
    if (options.progress) options.progress(progress);
    (void)a;
    save_progress(false);
  };
  auto wait_until = [&](TimePoint until, const std::string& why) {
    const double secs = std::chrono::duration<double>(until - clock.now()).count();
    if (secs <= 0) return;
    if (options.notice) options.notice("waiting " + std::to_string(static_cast<long>(secs + 0.5)) + " s, until " +
                                       core::rfc3339(until) + ": " + why);
    ++report.waits;
    report.waited_seconds += secs;
    clock.sleep_until(until);
  };
  TimePoint next_create = started;
  // D19 before each create: the PSA's budget (Autotask) or the configured rate (ConnectWise).
  auto wait_for_budget = [&] {
    wait_until(clock.now() + std::chrono::hours(1),
               "Cairn has spent its share of " + psa_name + "'s hourly request budget (D19); it renews as the hour rolls on");
    source.renew_budget();
  };
  auto pace = [&] {
    if (auto left = source.budget_left(); left && *left < options.requests_per_create) wait_for_budget();
    if (options.creates_per_second > 0) {
      wait_until(next_create, psa_name + "'s configured rate");
      next_create = std::max(next_create, clock.now()) +
                    std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(1.0 / options.creates_per_second));
    }
  };

  const std::vector<SyncEntity> entities = caps ? caps->entities : std::vector<SyncEntity>(std::begin(kOrder), std::end(kOrder));
  LocalState dry_state;  // a plan keeps one planner: what it plans for companies counts for what is under them
  std::unique_ptr<PushAllPlanner> dry_planner;
  if (options.dry_run) {
    load_lookups_and_links(s, integration.id, dry_state);
    dry_planner = std::make_unique<PushAllPlanner>(integration.kind, integration.settings, dry_state);
  }
  store::Records records(s, db.dialect());
  try {
    for (auto e : entities) {
      progress.entity = core::entity_type(e);
      still_claimed();
      // A run plans each entity from the store as it is now: what the previous entity linked or
      // created (or failed to create) is in its links.
      LocalState state;
      std::unique_ptr<PushAllPlanner> fresh;
      if (!options.dry_run) {
        load_lookups_and_links(s, integration.id, state);
        fresh = std::make_unique<PushAllPlanner>(integration.kind, integration.settings, state);
      }
      PushAllPlanner& planner = options.dry_run ? *dry_planner : *fresh;
      auto candidates = candidates_of(records, e, unlinked_ids(s, e),
                                      store::Outbox(s, db.dialect()).creates_unfinished(core::link_entity(e)));
      if (candidates.empty()) continue;
      std::vector<core::PsaRecord> in_psa;
      for (int attempt = 0;; ++attempt) {
        // A pull is reads only: when the budget runs out part way, it starts again once it renews.
        try {
          in_psa.clear();
          source.pull(e, "", planner.companies_in_psa(), [&](const core::PsaRecord& r) { in_psa.push_back(r); });
          break;
        } catch (const std::exception&) {
          auto left = source.budget_left();
          if (!left || *left > 0 || attempt >= 3) throw;
          wait_for_budget();
        }
      }
      auto actions = planner.plan(e, candidates, in_psa);
      add_totals(report.totals, actions);
      if (options.dry_run) {
        for (const auto& a : actions) {
          if (a.kind == PushAllKind::Link) ++report.linked;
          else if (a.kind == PushAllKind::Create) ++report.created;
          else ++report.skipped;
          settled(a);
        }
        report.actions.insert(report.actions.end(), actions.begin(), actions.end());
        continue;
      }
      // Links first, 500 to a transaction: they cost the PSA nothing.
      std::vector<const PushAllAction*> to_link;
      for (const auto& a : actions)
        if (a.kind == PushAllKind::Link) to_link.push_back(&a);
      for (size_t from = 0; from < to_link.size(); from += 500) {
        store::Transaction tx(s, db.dialect());
        for (size_t i = from; i < std::min(to_link.size(), from + 500); ++i)
          link_to_psa(s, integration.id, e, to_link[i]->local_id, to_link[i]->psa_id, to_link[i]->fingerprint);
        tx.commit();
        for (size_t i = from; i < std::min(to_link.size(), from + 500); ++i) {
          ++report.linked;
          settled(*to_link[i]);
        }
      }
      const auto& schema = core::entity(core::entity_type(e));
      for (auto& a : actions) {
        if (a.kind == PushAllKind::Link) continue;
        if (a.kind == PushAllKind::Skip) {
          ++report.skipped;
          report.actions.push_back(a);
          settled(a);
          continue;
        }
        try {
          auto record = records.get(schema, a.local_id);
          if (!record) throw psa::PushError(422, std::string(schema.link_entity) + " " + std::to_string(a.local_id) +
                                                     " no longer exists in Cairn");
          std::string company;
          if (e != SyncEntity::Organization)
            if (const core::Field* org = schema.field("organization_id"); org && !(*record)[*org].is_null())
              company = linked_psa_id(s, integration.id, "organization", (*record)[*org].as_int()).value_or("");
          // The same payload a save's create sends (sync/pusher.cpp).
          std::string payload = without_unpushed_refs(s, integration.id, payload_of(s, integration.kind, e, schema, *record, {}));
          core::PsaRecord fields = changes_of(s, integration.id, e, payload);
          pace();
          still_claimed();
          // A person saved it since the plan, queueing a create of its own: the pusher sends that one.
          if (store::Outbox(s, db.dialect()).create_unfinished(schema.link_entity, a.local_id)) {
            a.kind = PushAllKind::Skip;
            a.reason = "a create is already queued for it (cairn outbox list)";
            ++report.skipped;
            report.actions.push_back(a);
            settled(a);
            continue;
          }
          core::PsaRecord created = source.create(fields, company, integration.settings.default_account_manager);
          store::Transaction tx(s, db.dialect());
          link_to_psa(s, integration.id, e, a.local_id, created.psa_id, fingerprint(created));
          tx.commit();
          a.psa_id = created.psa_id;
          ++report.created;
        } catch (const psa::PushError& ex) {
          // Not retried in this run: a create that failed half way may be in the PSA, and only a
          // fresh pull (the next run) can tell; that run links it instead of creating it again.
          a.kind = PushAllKind::Skip;
          a.reason = std::string("failed: ") + ex.what();
          ++report.failed;
          report.actions.push_back(a);
          spdlog::warn("push-all integration={} {} {} failed: {}", integration.id, schema.link_entity, a.local_id, ex.what());
        }
        settled(a);
      }
    }
    report.state = "done";
  } catch (const std::exception& ex) {
    report.state = "failed";
    report.error = ex.what();
  }
  report.requests = source.requests();
  report.seconds = elapsed();
  if (!options.dry_run) {
    std::string counts = counts_json(report, progress), finished = core::now_rfc3339();
    std::string error = report.error.value_or("");
    soci::indicator ind = report.error ? soci::i_ok : soci::i_null;
    s << "UPDATE sync_runs SET state = :s, finished_at = :f, counts = :c, error = :e WHERE id = :id", soci::use(report.state),
        soci::use(finished), soci::use(counts), soci::use(error, ind), soci::use(report.run_id);
  }
  return report;
}

}  // namespace cairn::sync
