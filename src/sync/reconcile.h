#pragma once
// The pure heart of a sync: given one PSA record in Cairn's terms, what the store holds and the
// integration's settings, decide the action. No I/O; tests drive it from case files.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/psa_record.h"
#include "core/sync_settings.h"
#include "sync/match_keys.h"
#include "sync/plan.h"

namespace cairn::sync {

// A PSA record with its references resolved to local ids: the values the store should hold.
struct Desired {
  std::map<std::string, core::Value> values;  // Cairn attribute → value
  std::map<std::string, std::string> texts;   // attribute → what a person reads (names for references)
  std::vector<std::string> notes;             // fields left alone, and why
  std::optional<std::string> unplaced;        // why it cannot be placed (its company does not sync)
};

// What the store holds of one record: the mapped attributes, by the same names.
struct LocalRecord {
  std::int64_t id = 0;
  std::string label;
  std::map<std::string, core::Value> values;
  std::map<std::string, std::string> texts;
};

struct LinkInfo {
  std::int64_t local_id = 0;
  std::string fingerprint;
  std::string state = "syncing";  // syncing, orphaned, disabled
  bool manual = false;            // made by a person (D7)
  bool seen = false;              // the PSA gave the record in this run: not an orphan
};

struct Gate {
  bool syncs = true;
  std::string reason;
};

// R1, R4, D25, D6: whether the PSA record's type, status and kind let it sync.
Gate gate(const core::PsaRecord& r, const core::SyncSettings& s);

// D25: the record's Cairn type is the first of its PSA types that is enabled (or the first at all).
std::string chosen_type(const core::PsaRecord& r, const core::SyncSettings& s);

// A stable digest of everything the PSA said about the record that Cairn maps; equal digests
// mean nothing to write (D12).
std::string fingerprint(const core::PsaRecord& r);

// The unlinked local records of one entity, indexed by exact and loose match key.
class LocalIndex {
 public:
  explicit LocalIndex(MatchKey key) : key_(std::move(key)) {}
  void add(LocalRecord r);
  void remove(std::int64_t id);  // once linked, a record no longer matches another PSA record
  // Exact matches under D1/D3, and near misses under D2 that are not exact matches.
  std::vector<const LocalRecord*> exact(const Desired& d) const;
  std::vector<const LocalRecord*> near(const Desired& d) const;
  std::string describe(const Desired& d) const;  // "name=Acme" for the plan
  size_t size() const { return records_.size(); }

 private:
  std::string strict_key(const std::map<std::string, core::Value>& v) const;
  std::string loose_key(const std::map<std::string, core::Value>& v) const;
  MatchKey key_;
  std::unordered_map<std::int64_t, LocalRecord> records_;
  std::unordered_multimap<std::string, std::int64_t> by_strict_;
  std::unordered_multimap<std::string, std::int64_t> by_loose_;
};

struct ReconcileInput {
  const core::PsaRecord& record;
  Desired& desired;  // a create takes its values
  const Gate& gate;
  const LinkInfo* link = nullptr;             // its link, if it has one
  const LocalRecord* linked = nullptr;        // the linked local record's current values
  std::vector<const LocalRecord*> exact;      // unlinked local records matching exactly
  std::vector<const LocalRecord*> near;       // near misses (D2)
  std::string match_description;
  // fingerprint(record), taken before the planner moved the record's fields into `desired`.
  std::string fingerprint;
  // A create's changes carry what a person reads (old_text, new_text): a sync that keeps only its
  // notable actions sets this false for the rest, whose texts nobody reads.
  bool create_texts = true;
};

Action reconcile(ReconcileInput in);

// The field changes that make `local` hold `desired` (PSA wins, D8); attributes the PSA does
// not map are never touched.
std::vector<FieldChange> diff(const Desired& desired, const LocalRecord* local);
// The same, moving the desired values into the changes instead of copying them; with texts false
// a create's changes carry their values alone (old_text and new_text left empty).
std::vector<FieldChange> diff(Desired&& desired, const LocalRecord* local, bool texts = true);

}  // namespace cairn::sync
