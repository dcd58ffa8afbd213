#pragma once
// Turns a stream of PSA records into actions, entity by entity, in the order references need:
// organizations, then locations, contacts and configurations. Resolves references through the
// links and through the records it has already decided to create in this run, and lookups
// (types, statuses, manufacturers, ...) through their names. Pure: what the store holds comes in
// through LocalState, which the engine fills from the store and tests fill from case files.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/psa_record.h"
#include "core/sync_settings.h"
#include "sync/reconcile.h"

namespace cairn::sync {

// Lookups are named; a name the store lacks gets a placeholder id (negative) until apply creates it.
class Lookups {
 public:
  void add(const std::string& type, const std::string& name, std::int64_t id);
  // The local id for the name, or a placeholder; the placeholder is the same for the same name.
  std::int64_t resolve(const std::string& type, const std::string& name);
  // Lookups the plan needs created: type → names.
  // Read it only when no writer runs (a plan writes nothing).
  const std::map<std::string, std::set<std::string>>& missing() const { return missing_; }
  // The (type, name) a placeholder stands for, or nothing for a real id.
  std::optional<std::pair<std::string, std::string>> placeholder(std::int64_t id) const;
  // Apply made the lookup: later resolutions get the real id.
  void created(std::int64_t placeholder_id, std::int64_t id);
  static bool is_pending_record(std::int64_t id) { return id <= -1000000000; }

 private:
  // A sync's writer thread creates lookups (created, placeholder) while the planner resolves names.
  mutable std::mutex m_;
  std::map<std::int64_t, std::pair<std::string, std::string>> placeholders_;
  std::map<std::string, std::map<std::string, std::int64_t>> ids_;
  std::map<std::string, std::set<std::string>> missing_;
  std::int64_t next_placeholder_ = -1;
};

// What the store holds that the planner needs.
struct LocalState {
  Lookups lookups;
  // psa_links of this integration, per entity: PSA id → link.
  std::map<core::SyncEntity, std::unordered_map<std::string, LinkInfo>> links;
  // Unlinked local records, per entity, for matching.
  std::map<core::SyncEntity, std::unique_ptr<LocalIndex>> unlinked;
  // The current values of linked records; the engine loads them a page at a time.
  std::function<const LocalRecord*(core::SyncEntity, std::int64_t)> linked_record;
  // The organization of a local contact (R9), for contacts not seen in this run.
  std::function<std::int64_t(std::int64_t contact_id)> contact_organization;
};

struct PlanOptions {
  bool full = true;                // a full reconcile: linked records not seen are orphaned (D9)
  bool allow_mass_orphan = false;  // D10
  double mass_orphan_share = 0.5;
  // Every action gets its match key's description; otherwise only those a sync keeps (skips,
  // ambiguities, orphans, near misses) and links (finish() may make them ambiguous). A first sync
  // creates a million configurations whose descriptions nobody reads.
  bool describe_every_match = true;
  // Every create's changes carry their texts; otherwise only a kept create's (one with near
  // misses). The same million configurations' texts would be read by nobody either.
  bool texts_for_every_create = true;
};

class Planner {
 public:
  Planner(std::string kind, core::SyncSettings settings, LocalState& local, PlanOptions options = {});

  // One record's action. Link actions are held back until finish(), which settles two PSA
  // records claiming the same local record (D4); everything else is final at once. Takes the
  // record: its values move on into the action instead of being copied (a first sync's creates).
  std::vector<Action> add(core::PsaRecord r);
  // The PSA says it no longer has this record (a sync of one record, a webhook): its orphan, if it was linked.
  std::vector<Action> gone(core::SyncEntity e, const std::string& psa_id);
  // After the last record of an entity: held links, then (full sync) orphans of unseen links.
  std::vector<Action> finish(core::SyncEntity e);
  // D10: set by finish() when the run would orphan too much; the engine must not write then.
  const std::optional<std::string>& stop_reason() const { return stop_; }

  Desired resolve(const core::PsaRecord& r);

 private:
  // resolve(), moving the record's fields into the result: r.fields is empty afterwards.
  Desired resolve_taking_fields(core::PsaRecord& r);
  std::int64_t org_for(const core::PsaRef& ref, std::string& why);
  // The Unchanged action of a linked record the PSA gives as it did last time (D12), or nullopt.
  std::optional<Action> unchanged(const core::PsaRecord& r, const LinkInfo& link, const std::string& fingerprint);
  // Keeps the record's name for the reasons and texts of records that point at it.
  void remember_label(const core::PsaRecord& r, const std::map<std::string, core::Value>& values);
  Action orphan_of(core::SyncEntity e, const std::string& psa_id, const LinkInfo& link);
  std::string kind_;
  core::SyncSettings settings_;
  LocalState& local_;
  PlanOptions options_;
  std::int64_t next_pending_ = -1000000000;  // ids of records created in this run, until apply
  std::map<core::SyncEntity, std::unordered_map<std::string, std::int64_t>> pending_;  // PSA id → pending id (not configurations)
  std::map<core::SyncEntity, std::unordered_map<std::string, std::string>> labels_;    // PSA id → name
  std::map<core::SyncEntity, std::set<std::string>> unsynced_;                         // PSA ids skipped
  std::unordered_map<std::string, std::int64_t> contact_org_;  // contact PSA id → its organization
  std::map<core::SyncEntity, std::vector<Action>> held_links_;
  std::map<core::SyncEntity, std::int64_t> streamed_orphans_;
  std::optional<std::string> stop_;
};

}  // namespace cairn::sync
