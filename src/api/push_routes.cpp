#include "api/push_routes.h"

#include "api/record_actions.h"
#include "store/outbox.h"

namespace cairn::api {
namespace {

RecordAction failed_push(bool retry) {
  return [retry](RecordActionContext& a) -> std::optional<core::Error> {
    store::Outbox outbox(a.session, a.dialect);
    auto row = outbox.failed_row_of(a.schema.link_entity, a.id);
    if (!row)
      return core::conflict(a.schema.link_entity + " " + std::to_string(a.id) + " has no failed push to " +
                            (retry ? "retry" : "drop"));
    auto done = retry ? outbox.retry(*row) : outbox.drop(*row);
    if (!done) return done.error();
    return std::nullopt;
  };
}

}  // namespace

void add_push_routes(App& app) {
  add_record_action(app, "retry-push", failed_push(true), store::ring_outbox_bell);
  add_record_action(app, "drop-push", failed_push(false));
}

}  // namespace cairn::api
