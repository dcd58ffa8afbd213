#include "api/sync_routes.h"
#include "api/link_routes.h"
#include "api/push_routes.h"
#include "api/push_all_routes.h"

#include <httplib.h>
#include <soci/soci.h>

#include <charconv>

#include "core/json_writer.h"
#include "store/integrations.h"
#include "store/secrets.h"
#include "sync/connectors.h"
#include "sync/engine.h"
#include "sync/scheduler.h"

namespace cairn::api {
namespace {

std::optional<std::int64_t> route_id(const Context& c) {
  std::int64_t id = 0;
  const auto& s = c.segments[1];
  auto r = std::from_chars(s.data(), s.data() + s.size(), id);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || id <= 0) return std::nullopt;
  return id;
}

void write_action(core::JsonWriter& w, const sync::Action& a) {
  w.begin_object();
  w.key("entity").value(core::link_entity(a.entity));
  w.key("psa-id").value(a.psa_id);
  w.key("action").value(sync::action_name(a.kind));
  if (a.local_id > 0) w.key("local-id").value(a.local_id);
  if (!a.label.empty()) w.key("label").value(a.label);
  if (!a.match_key.empty()) w.key("match-key").value(a.match_key);
  if (!a.reason.empty()) w.key("reason").value(a.reason);
  w.key("changes").begin_array();
  for (const auto& ch : a.changes)
    w.begin_object().key("field").value(ch.field).key("old").value(ch.old_text).key("new").value(ch.new_text).end_object();
  w.end_array();
  w.key("near-misses").begin_array();
  for (const auto& n : a.near_misses) w.value(n);
  w.end_array();
  w.key("notes").begin_array();
  for (const auto& n : a.notes) w.value(n);
  w.end_array();
  w.end_object();
}

// POST /{organizations|locations|contacts|configurations}/:id/actions/sync: reads the record's
// PSA record now and applies it (the PSA wins, R3), or orphans it when the PSA no longer has it.
void sync_one_record(Context& c, core::SyncEntity entity) {
  const std::string link_entity = core::link_entity(entity);
  auto id = route_id(c);
  if (!id) return c.send_error(404, "Not found", "no " + link_entity + " " + c.segments[1]);
  std::string psa_id, state, company;
  long long integration_id = 0;
  {
    soci::session s(c.db.pool());
    soci::indicator ind = soci::i_null;
    s << "SELECT psa_id, state, integration_id FROM psa_links WHERE entity = :e AND local_id = :l", soci::use(link_entity),
        soci::use(*id), soci::into(psa_id, ind), soci::into(state), soci::into(integration_id);
    if (ind != soci::i_ok) {
      long long n = 0;
      const std::string table = core::entity_type(entity);
      s << "SELECT COUNT(*) FROM " + table + " WHERE id = :id", soci::use(*id), soci::into(n);
      if (n == 0) return c.send_error(404, "Not found", link_entity + " " + std::to_string(*id) + " does not exist");
      return c.send_error(409, "Not linked", link_entity + " " + std::to_string(*id) +
                                                 " is not linked to a PSA record; link it first (cairn link)");
    }
    if (state == "disabled")
      return c.send_error(409, "Sync disabled", "sync is disabled on " + link_entity + " " + std::to_string(*id) +
                                                    "; link it again to sync it (cairn link)");
    if (entity == core::SyncEntity::Location) {
      soci::indicator cind = soci::i_null;
      s << "SELECT l.psa_id FROM locations b JOIN psa_links l ON l.entity = 'organization' AND l.local_id = b.organization_id "
           "AND l.integration_id = :i WHERE b.id = :id",
          soci::use(integration_id), soci::use(*id), soci::into(company, cind);
    }
  }
  auto key = store::master_key_for(c.db);
  if (!key) return c.send_error(500, "Master key missing", key.error().detail);
  std::optional<store::Integration> integration;
  {
    soci::session s(c.db.pool());
    store::Integrations integrations(s, c.db.dialect(), key.value());
    integration = integrations.get(integration_id);
  }
  if (!integration) return c.send_error(404, "Not found", "no integration " + std::to_string(integration_id));
  if (integration->state == store::IntegrationState::Paused)
    return c.send_error(409, "Paused", "integration " + std::to_string(integration->id) + " is paused; resume it first");
  std::unique_ptr<psa::Source> source;
  try {
    source = sync::make_source(*integration);
  } catch (const std::exception& e) {
    return c.send_error(422, "Integration not usable", e.what());
  }
  sync::RunOptions o;
  o.only = sync::OneRecord{entity, psa_id, company};
  o.keep_actions = true;
  auto report = sync::run_sync(c.db, *integration, *source, o);
  if (report.state == "failed") return c.send_error(502, "PSA failed", report.stopped.value_or("the PSA failed"));
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("data").begin_object();
  w.key("type").value("sync-runs").key("id").value(std::to_string(report.run_id));
  w.key("attributes").begin_object();
  w.key("mode").value("record").key("state").value(report.state).key("requests").value(report.requests);
  w.key("actions").begin_array();
  for (const auto& a : report.actions) write_action(w, a);
  w.end_array();
  w.end_object().end_object().end_object();
  c.send_json(200, std::move(out));
}

}  // namespace

std::optional<store::Integration> load_integration(Context& c) {
  auto id = route_id(c);
  if (!id) {
    c.send_error(404, "Not found", "no integration " + c.segments[1]);
    return std::nullopt;
  }
  auto key = store::master_key_for(c.db);
  if (!key) {
    c.send_error(500, "Master key missing", key.error().detail);
    return std::nullopt;
  }
  soci::session s(c.db.pool());
  store::Integrations integrations(s, c.db.dialect(), key.value());
  auto i = integrations.get(*id);
  if (!i) c.send_error(404, "Not found", "no integration " + std::to_string(*id));
  return i;
}

void add_sync_routes(App& app, sync::Scheduler* scheduler) {
  add_push_routes(app);
  add_push_all_routes(app);
  add_link_routes(app);
  for (auto entity : {core::SyncEntity::Organization, core::SyncEntity::Location, core::SyncEntity::Contact,
                      core::SyncEntity::Configuration})
    app.add_route({"POST", {core::entity_type(entity), "*", "actions", "sync"}, store::Role::Editor, true,
                   [entity](Context& c) { sync_one_record(c, entity); }});
  app.add_route({"POST", {"integrations", "*", "actions", "plan"}, store::Role::Admin, true, [](Context& c) {
    auto i = load_integration(c);
    if (!i) return;
    std::unique_ptr<psa::Source> source;
    try {
      source = sync::make_source(*i);
    } catch (const std::exception& e) {
      return c.send_error(422, "Integration not usable", e.what());
    }
    sync::RunOptions o;
    o.dry_run = true;
    o.keep_actions = true;
    auto report = sync::run_sync(c.db, *i, *source, o);
    if (report.state == "failed") return c.send_error(502, "PSA failed", report.stopped.value_or("the PSA failed"));
    std::string out;
    core::JsonWriter w(out);
    w.begin_object().key("data").begin_object();
    w.key("type").value("plans").key("id").value(std::to_string(i->id));
    w.key("attributes").begin_object();
    w.key("records").value(report.records).key("requests").value(report.requests);
    w.key("totals").begin_object();
    for (const auto& [entity, counts] : report.totals.by_entity) {
      w.key(entity).begin_object();
      for (const auto& [action, n] : counts) w.key(action).value(n);
      w.end_object();
    }
    w.end_object();
    w.key("new-lookups").begin_object();
    for (const auto& [type, names] : report.new_lookups) {
      w.key(type).begin_array();
      for (const auto& n : names) w.value(n);
      w.end_array();
    }
    w.end_object();
    if (report.stopped) w.key("stopped").value(*report.stopped);
    w.key("actions").begin_array();
    for (const auto& a : report.actions)
      if (a.kind != sync::ActionKind::Unchanged) write_action(w, a);
    w.end_array();
    w.end_object().end_object().end_object();
    c.send_json(200, std::move(out));
  }});
  app.add_route({"POST", {"integrations", "*", "actions", "sync"}, store::Role::Admin, true, [scheduler](Context& c) {
    auto i = load_integration(c);
    if (!i) return;
    if (!scheduler) return c.send_error(503, "No scheduler", "this server runs no background syncs; use `cairn sync`");
    if (i->state == store::IntegrationState::Paused)
      return c.send_error(409, "Paused", "integration " + std::to_string(i->id) + " is paused; resume it first");
    bool full = c.req.get_param_value("full") == "true";
    if (!scheduler->request(i->id, full))
      return c.send_error(409, "Already queued", "a sync of integration " + std::to_string(i->id) + " is queued or running");
    std::string out;
    core::JsonWriter w(out);
    w.begin_object().key("meta").begin_object().key("queued").value(true).key("full").value(full);
    w.key("sync-runs").value("/sync_runs?filter[integration_id]=" + std::to_string(i->id) + "&sort=-id");
    w.end_object().end_object();
    c.send_json(202, std::move(out));
  }});
}

}  // namespace cairn::api
