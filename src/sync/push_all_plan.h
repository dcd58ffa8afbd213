#pragma once
// Push-all (R17, D17), the pure part: for each Cairn record not yet linked to the integration,
// whether it is linked to a PSA record that already has its match key, created in the PSA, or
// skipped with the reason. Matching is the engine's own (sync/match_keys, LocalIndex, the
// planner's resolution of PSA references and lookups to local ids), run the other way round.
// Push-all is a person's explicit confirmation, so R15's bulk-import exclusion does not apply;
// every other create rule (D16) does, the PSA's required fields to creates only (a record the
// PSA has already is linked without them). Never a duplicate: a record that could not be found
// again by its match key on a rerun (a blank key part), or that is ambiguous, is skipped.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/psa_record.h"
#include "core/sync_settings.h"
#include "core/value.h"
#include "sync/planner.h"

namespace cairn::sync {

// One unlinked Cairn record: every attribute of its schema by name, derived names included
// ("configuration_type_name"); references as local ids.
struct PushAllCandidate {
  core::SyncEntity entity = core::SyncEntity::Organization;
  std::int64_t id = 0;
  std::map<std::string, core::Value> values;
  // A save's create of it waits in the outbox (or failed there): the pusher's to send, not push-all's.
  bool create_queued = false;
};

enum class PushAllKind { Link, Create, Skip };
const char* push_all_kind_name(PushAllKind k);  // "link", "create", "skip"

struct PushAllAction {
  PushAllKind kind = PushAllKind::Skip;
  core::SyncEntity entity = core::SyncEntity::Organization;
  std::int64_t local_id = 0;
  std::string label;
  std::string psa_id;       // Link: the PSA record it is linked to
  std::string match_key;    // "name=Acme"
  std::string reason;       // Skip: why
  std::string fingerprint;  // Link: of the PSA record, kept on the link (R18)
};

// Counts per entity and kind: "organization" → "create" → 3.
using PushAllTotals = std::map<std::string, std::map<std::string, std::int64_t>>;

class PushAllPlanner {
 public:
  // `local` holds the store's lookups and this integration's links (as the engine loads them).
  PushAllPlanner(std::string kind, core::SyncSettings settings, LocalState& local);

  // The decisions for one entity's candidates, given the PSA's current records of that entity.
  // Call organizations first: an organization planned for a link or a create counts as in the
  // PSA for the records under it (their matches and their company), as an existing link does.
  std::vector<PushAllAction> plan(core::SyncEntity e, const std::vector<PushAllCandidate>& candidates,
                                  const std::vector<core::PsaRecord>& psa);

  // The PSA ids of the companies in the PSA for this run (linked, or planned for a link), for
  // PSAs that list locations per company.
  std::vector<std::string> companies_in_psa() const;

  // plan()'s lookup for one record: the PSA records (positions in `psa`) nobody in Cairn is
  // linked to that `c` matches by its match key. The pusher asks it before it creates again, as
  // a create that reached the PSA just before Cairn stopped is one of them.
  std::vector<size_t> find_in_psa(core::SyncEntity e, const PushAllCandidate& c, const std::vector<core::PsaRecord>& psa);

 private:
  std::string label_of(const PushAllCandidate& c) const;
  MatchKey key_of(core::SyncEntity e) const;
  // The PSA's records nobody in Cairn is linked to yet, indexed by match key as the engine
  // indexes local records; the index's ids are positions in `psa`, plus one.
  LocalIndex unlinked_in_psa(core::SyncEntity e, const MatchKey& key, const std::vector<core::PsaRecord>& psa);
  std::string kind_;
  core::SyncSettings settings_;
  LocalState& local_;
  Planner resolver_;  // only its resolve(): PSA references and lookups to local ids
  std::set<std::int64_t> orgs_created_;             // organizations planned for a create
  std::map<std::int64_t, std::string> orgs_skipped_;  // organizations skipped, with why
};

// Adds the actions' counts to totals.
void add_totals(PushAllTotals& totals, const std::vector<PushAllAction>& actions);

}  // namespace cairn::sync
