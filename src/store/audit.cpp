#include "store/audit.h"

#include <soci/soci.h>

namespace cairn::store {

void write_audit(soci::session& s, const Actor& actor, const std::string& at, const std::vector<AuditEvent>& events) {
  if (events.empty()) return;
  std::string entity, action, field, old_value, new_value;
  std::int64_t record_id = 0;
  long long run_id = actor.run_id.value_or(0);
  soci::indicator run_ind = actor.run_id ? soci::i_ok : soci::i_null;
  soci::indicator field_ind, old_ind, new_ind;
  std::string actor_name = actor.name, when = at;
  soci::statement st =
      (s.prepare << "INSERT INTO audit_events (at, actor, run_id, entity, record_id, action, field, old_value, new_value) "
                    "VALUES (:at, :actor, :run, :entity, :rid, :action, :field, :old, :new)",
       soci::use(when), soci::use(actor_name), soci::use(run_id, run_ind), soci::use(entity), soci::use(record_id),
       soci::use(action), soci::use(field, field_ind), soci::use(old_value, old_ind), soci::use(new_value, new_ind));
  for (const auto& e : events) {
    entity = e.entity;
    record_id = e.record_id;
    action = e.action;
    field = e.field.value_or("");
    field_ind = e.field ? soci::i_ok : soci::i_null;
    old_value = e.old_value.value_or("");
    old_ind = e.old_value ? soci::i_ok : soci::i_null;
    new_value = e.new_value.value_or("");
    new_ind = e.new_value ? soci::i_ok : soci::i_null;
    st.execute(true);
  }
}

}  // namespace cairn::store
