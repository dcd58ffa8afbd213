#include "sync/plan.h"

namespace cairn::sync {

const char* action_name(ActionKind k) {
  switch (k) {
    case ActionKind::Create: return "create";
    case ActionKind::Link: return "link";
    case ActionKind::Update: return "update";
    case ActionKind::Unchanged: return "unchanged";
    case ActionKind::Skip: return "skip";
    case ActionKind::Ambiguous: return "ambiguous";
    case ActionKind::Orphan: return "orphan";
  }
  return "?";
}

void Totals::add(const Action& a) { ++by_entity[core::entity_type(a.entity)][action_name(a.kind)]; }

}  // namespace cairn::sync
