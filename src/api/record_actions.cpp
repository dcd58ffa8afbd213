#include "api/record_actions.h"

#include <soci/soci.h>

#include <charconv>

#include "api/jsonapi.h"
#include "core/psa_record.h"
#include "store/records.h"

namespace cairn::api {
namespace {

void run(Context& c, const core::EntitySchema& schema, const RecordAction& act, const std::function<void()>& after_commit) {
  std::int64_t id = 0;
  const std::string& text = c.segments[1];
  auto parsed = std::from_chars(text.data(), text.data() + text.size(), id);
  soci::session s(c.db.pool());
  store::Records records(s, c.db.dialect());
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || id <= 0 || !records.exists(schema, id))
    return c.send_error(core::not_found(schema.link_entity + " " + text + " does not exist"));
  {
    store::Transaction tx(s, c.db.dialect());
    RecordActionContext a{s, c.db.dialect(), schema, id, c.actor()};
    if (auto error = act(a)) return c.send_error(*error);
    tx.commit();
  }
  if (after_commit) after_commit();
  c.send_json(200, resource_document(schema, *records.get(schema, id)));
}

}  // namespace

void add_record_action(App& app, const std::string& name, RecordAction act, std::function<void()> after_commit) {
  for (auto entity : {core::SyncEntity::Organization, core::SyncEntity::Location, core::SyncEntity::Contact,
                      core::SyncEntity::Configuration}) {
    const core::EntitySchema& schema = core::entity(core::entity_type(entity));
    app.add_route({"POST", {schema.type, "*", "actions", name}, store::Role::Editor, true,
                   [&schema, act, after_commit](Context& c) { run(c, schema, act, after_commit); }});
  }
}

}  // namespace cairn::api
