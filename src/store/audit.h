#pragma once
// The field-level audit trail (D21): who changed which field of which record, from what to what.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace soci {
class session;
}

namespace cairn::store {

struct Actor {
  std::string name;                    // "api-key:3 ops-script", "sync:connectwise", "directory:ad"
  std::optional<std::int64_t> run_id;  // the sync run or import, when there is one
};

struct AuditEvent {
  std::string entity;  // singular: "configuration"
  std::int64_t record_id = 0;
  std::string action;  // create, update, delete, link, unlink, orphan
  std::optional<std::string> field;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
};

class StatementCache;

void write_audit(soci::session& s, const Actor& actor, const std::string& at, const std::vector<AuditEvent>& events);
// The same through statements prepared once, for a writer that audits batch after batch.
void write_audit(StatementCache& statements, const Actor& actor, const std::string& at,
                 const std::vector<AuditEvent>& events);

}  // namespace cairn::store
