#include "api/push_routes.h"

#include <soci/soci.h>

#include <charconv>

#include "api/jsonapi.h"
#include "core/psa_record.h"
#include "core/schema.h"
#include "store/outbox.h"
#include "store/records.h"

namespace cairn::api {
namespace {

void act(Context& c, const core::EntitySchema& schema, bool retry) {
  std::int64_t id = 0;
  const std::string& text = c.segments[1];
  auto r = std::from_chars(text.data(), text.data() + text.size(), id);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || id <= 0)
    return c.send_error(core::not_found(schema.link_entity + " " + text + " does not exist"));
  soci::session s(c.db.pool());
  store::Records records(s, c.db.dialect());
  if (!records.exists(schema, id))
    return c.send_error(core::not_found(schema.link_entity + " " + std::to_string(id) + " does not exist"));
  {
    store::Transaction tx(s, c.db.dialect());
    store::Outbox outbox(s, c.db.dialect());
    auto row = outbox.failed_row_of(schema.link_entity, id);
    if (!row)
      return c.send_error(core::conflict(schema.link_entity + " " + std::to_string(id) + " has no failed push to " +
                                         (retry ? "retry" : "drop")));
    auto done = retry ? outbox.retry(*row) : outbox.drop(*row);
    if (!done) return c.send_error(done.error());
    tx.commit();
  }
  if (retry) store::ring_outbox_bell();
  auto record = records.get(schema, id);
  c.send_json(200, resource_document(schema, *record));
}

}  // namespace

void add_push_routes(App& app) {
  for (auto entity : {core::SyncEntity::Organization, core::SyncEntity::Location, core::SyncEntity::Contact,
                      core::SyncEntity::Configuration}) {
    const core::EntitySchema& schema = core::entity(core::entity_type(entity));
    app.add_route({"POST", {schema.type, "*", "actions", "retry-push"}, store::Role::Editor, true,
                   [&schema](Context& c) { act(c, schema, true); }});
    app.add_route({"POST", {schema.type, "*", "actions", "drop-push"}, store::Role::Editor, true,
                   [&schema](Context& c) { act(c, schema, false); }});
  }
}

}  // namespace cairn::api
