#include "store/audit.h"

#include "store/prepared.h"
#include "store/row_inserter.h"

namespace cairn::store {

void write_audit(StatementCache& statements, const Actor& actor, const std::string& at, const std::vector<AuditEvent>& events) {
  if (events.empty()) return;
  RowInserter rows(statements, "audit_events",
                   {"at", "actor", "run_id", "entity", "record_id", "action", "field", "old_value", "new_value"});
  for (const auto& e : events)
    rows.add({at, actor.name, actor.run_id, e.entity, e.record_id, e.action, e.field, e.old_value, e.new_value});
  rows.flush();
}

void write_audit(soci::session& s, const Actor& actor, const std::string& at, const std::vector<AuditEvent>& events) {
  if (events.empty()) return;
  StatementCache statements(s);
  write_audit(statements, actor, at, events);
}

}  // namespace cairn::store
