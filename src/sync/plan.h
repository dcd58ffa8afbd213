#pragma once
// What a sync would do (D20): one Action per PSA record, and the totals. A plan writes nothing;
// sync/apply writes the same actions.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/psa_record.h"
#include "core/value.h"

namespace cairn::core {
struct Field;
}  // namespace cairn::core

namespace cairn::sync {

enum class ActionKind {
  Create,     // no local record matched: create one and link it
  Link,       // one unlinked local record matched exactly: link it, then PSA wins on every mapped field
  Update,     // linked already; the PSA changed a mapped field
  Unchanged,  // linked already; nothing to write
  Skip,       // not synced (type or status not enabled, contacts off, company not syncing, ...)
  Ambiguous,  // matched more than one local record, or shares its match with another PSA record (D4)
  Orphan,     // linked, but deleted in the PSA or no longer enabled (D9)
};
const char* action_name(ActionKind k);

struct FieldChange {
  std::string field;                // Cairn attribute
  core::Value old_value, new_value;  // ids for references; a run's writer takes new_value as it writes
  std::string old_text, new_text;    // what a person reads: names for references
  // The schema's field of that name, found on the planner's thread so the writer's need not.
  const core::Field* target = nullptr;
};

struct Action {
  ActionKind kind = ActionKind::Skip;
  core::SyncEntity entity = core::SyncEntity::Organization;
  std::string psa_id;
  std::int64_t local_id = 0;        // Link, Update, Orphan
  std::string label;                // the record's name, for people
  std::string match_key;            // what it matched on ("name=Acme")
  std::string reason;               // Skip, Ambiguous, Orphan: why
  std::vector<FieldChange> changes;  // Create (every field), Link, Update, Orphan (status → Inactive)
  std::vector<std::string> near_misses;  // D2: "possible duplicate of organization 42 (Acme, Inc.)"
  std::vector<std::string> notes;        // fields left alone and why (R9, R10)
  std::vector<std::int64_t> candidates;  // Ambiguous: the local records it matched
  std::string fingerprint;               // of the PSA record's mapped values, kept on the link
  std::int64_t pending_id = 0;           // Create: the id later actions of the run use for it
};

struct Totals {
  std::map<std::string, std::map<std::string, std::int64_t>> by_entity;  // entity → action → count
  void add(const Action& a);
};

}  // namespace cairn::sync
