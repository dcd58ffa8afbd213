#include "api/integration_routes.h"

#include "api/admin_routes.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include <optional>
#include <stdexcept>

#include "api/jsonapi.h"
#include "core/naming.h"
#include "core/psa_capabilities.h"
#include "store/integrations.h"
#include "store/secrets.h"

namespace cairn::api {
namespace {

using nlohmann::json;
constexpr const char* kType = "integrations";

// Settings on the wire: SyncSettings' members with kebab-case names.
json settings_json(const core::SyncSettings& s) {
  json out = json::object();
  const json stored = json::parse(s.to_json());  // named: items() of a temporary would dangle
  for (const auto& [k, v] : stored.items()) out[core::kebab(k)] = v;
  return out;
}

// What the PSA can do with Cairn, so forms and scripts need not know which PSA is which.
void write_capabilities(core::JsonWriter& w, const core::Capabilities& c) {
  w.begin_object();
  w.key("psa").value(std::string(c.display_name));
  w.key("entities").begin_array();
  for (auto e : c.entities) w.value(core::entity_type(e));
  w.end_array();
  w.key("locations").value(core::to_string(c.locations));
  w.key("two-way").value(c.two_way);
  w.key("push-all").value(c.push_all);
  w.key("change-notices").value(core::to_string(c.change_notice));
  w.key("max-page-size").value(static_cast<std::int64_t>(c.max_page_size));
  w.key("hourly-request-budget");
  c.hourly_request_budget ? w.value(static_cast<std::int64_t>(*c.hourly_request_budget)) : w.null();
  w.key("budget-scope").value(std::string(c.budget_scope));
  w.end_object();
}

void write_integration(core::JsonWriter& w, const store::Integration& i) {
  w.begin_object();
  w.key("id").value(std::to_string(i.id));
  w.key("type").value(kType);
  w.key("attributes").begin_object();
  w.key("kind").value(i.kind);
  w.key("name").value(i.name);
  w.key("base-url");
  i.base_url.empty() ? w.null() : w.value(i.base_url);
  w.key("state").value(store::state_name(i.state));
  w.key("state-reason");
  i.state_reason.empty() ? w.null() : w.value(i.state_reason);
  // Names only: credential values never leave the store through the API.
  w.key("credentials-set").begin_array();
  for (const auto& n : i.credential_names()) w.value(n);
  w.end_array();
  w.key("credentials-required").begin_array();
  if (const auto* k = store::find_integration_kind(i.kind))
    for (const auto& n : k->credentials) w.value(n);
  w.end_array();
  w.key("credentials-error");
  i.credentials_error.empty() ? w.null() : w.value(i.credentials_error);
  w.key("settings").raw(settings_json(i.settings).dump());
  if (const auto* caps = core::capabilities_for(i.kind)) {
    w.key("capabilities");
    write_capabilities(w, *caps);
  }
  w.key("created-at").value(i.created_at);
  w.key("updated-at").value(i.updated_at);
  w.end_object();
  w.end_object();
}

std::string integration_document(const store::Integration& i) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("data");
  write_integration(w, i);
  w.end_object();
  return out;
}

// Merges the settings members given over base. Each member is checked on its own, so an error
// points at the member that is wrong.
core::Result<core::SyncSettings> merge_settings(const core::SyncSettings& base, const json& given, const std::string& p) {
  if (!given.is_object()) return core::invalid(std::string("settings must be an object, not ") + given.type_name(), p);
  json merged = json::parse(base.to_json());
  for (const auto& [k, v] : given.items()) {
    const std::string key = core::snake(k), at = p + "/" + core::kebab(k);
    if (!merged.contains(key)) return core::invalid("unknown setting " + k, at);
    try {
      core::SyncSettings::from_json(json{{key, v}}.dump());
    } catch (const std::invalid_argument& e) {
      std::string detail = e.what();
      if (detail.rfind(key, 0) == 0) detail = core::kebab(key) + detail.substr(key.size());
      return core::invalid("settings: " + detail, at);
    }
    merged[key] = v;
  }
  return core::SyncSettings::from_json(merged.dump());
}

// Attributes of a create or an update. Read-only attributes are ignored, so a document read
// from the API can be sent back; unknown ones are refused.
core::Result<store::IntegrationInput> parse_input(const json& attrs, const core::SyncSettings& base_settings,
                                                  const std::string& p) {
  if (!attrs.is_object()) return core::invalid("attributes must be an object", p);
  store::IntegrationInput in;
  for (const auto& [k, v] : attrs.items()) {
    const std::string name = core::snake(k), at = p + "/" + core::kebab(k);
    if (name == "kind" || name == "name") {
      auto s = string_member(v, core::kebab(k), at);
      if (!s) return s.error();
      (name == "kind" ? in.kind : in.name) = s.value();
    } else if (name == "base_url") {
      if (v.is_null()) {
        in.base_url = "";
      } else {
        auto s = string_member(v, "base-url", at);
        if (!s) return s.error();
        in.base_url = s.value();
      }
    } else if (name == "credentials") {
      if (!v.is_object()) return core::invalid(std::string("credentials must be an object, not ") + v.type_name(), at);
      for (const auto& [ck, cv] : v.items()) {
        const std::string cname = core::snake(ck), cat = at + "/" + core::kebab(ck);
        if (cv.is_null()) {
          in.credentials[cname] = std::nullopt;
        } else if (cv.is_string()) {
          in.credentials[cname] = cv.get<std::string>();
        } else {
          return core::invalid("credential " + cname + " must be a string, not " + cv.type_name(), cat);
        }
      }
    } else if (name == "settings") {
      auto s = merge_settings(base_settings, v, at);
      if (!s) return s.error();
      in.settings = std::move(s.value());
    } else if (name == "id" || name == "state" || name == "state_reason" || name == "credentials_set" ||
               name == "credentials_required" || name == "credentials_error" || name == "capabilities" || name == "created_at" ||
               name == "updated_at") {
      continue;
    } else {
      return core::invalid("unknown attribute " + k + " for integrations", at);
    }
  }
  return in;
}

std::optional<std::int64_t> path_id(Context& c) {
  auto id = parse_id(c.segments[1]);
  if (!id) c.send_error(core::not_found("integration " + c.segments[1] + " does not exist"));
  return id;
}

void list(Context& c) {
  auto key = master_key(c);
  if (!key) return;
  soci::session s(c.db.pool());
  store::Integrations integrations(s, c.db.dialect(), *key);
  auto all = integrations.list();
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("data").begin_array();
  for (const auto& i : all) write_integration(w, i);
  w.end_array();
  w.key("meta").begin_object().key("total-count").value(static_cast<std::int64_t>(all.size())).end_object();
  w.end_object();
  c.send_json(200, std::move(out));
}

void create(Context& c) {
  auto body = read_body(c, kType);
  if (!body) return;
  auto in = parse_input(attributes_of(*body), core::SyncSettings{}, "/data/attributes");
  if (!in) return c.send_error(in.error());
  auto key = master_key(c);
  if (!key) return;
  soci::session s(c.db.pool());
  store::Transaction tx(s, c.db.dialect());
  store::Integrations integrations(s, c.db.dialect(), *key);
  auto made = integrations.create(in.value(), c.actor());
  if (!made) return c.send_error(made.error());
  tx.commit();
  c.res.set_header("Location", c.public_url + "/integrations/" + std::to_string(made->id));
  c.send_json(201, integration_document(made.value()));
}

void show(Context& c) {
  auto id = path_id(c);
  if (!id) return;
  auto key = master_key(c);
  if (!key) return;
  soci::session s(c.db.pool());
  store::Integrations integrations(s, c.db.dialect(), *key);
  auto i = integrations.get(*id);
  if (!i) return c.send_error(core::not_found("integration " + std::to_string(*id) + " does not exist"));
  c.send_json(200, integration_document(*i));
}

void update(Context& c) {
  auto id = path_id(c);
  if (!id) return;
  auto body = read_body(c, kType);
  if (!body) return;
  auto key = master_key(c);
  if (!key) return;
  soci::session s(c.db.pool());
  store::Transaction tx(s, c.db.dialect());
  store::Integrations integrations(s, c.db.dialect(), *key);
  // Settings merge over the stored ones, so the stored ones are read inside the transaction.
  auto existing = integrations.get(*id, true);
  if (!existing) return c.send_error(core::not_found("integration " + std::to_string(*id) + " does not exist"));
  auto in = parse_input(attributes_of(*body), existing->settings, "/data/attributes");
  if (!in) return c.send_error(in.error());
  auto changed = integrations.update(*id, in.value(), c.actor());
  if (!changed) return c.send_error(changed.error());
  tx.commit();
  c.send_json(200, integration_document(changed.value()));
}

void remove(Context& c) {
  auto id = path_id(c);
  if (!id) return;
  soci::session s(c.db.pool());
  store::Transaction tx(s, c.db.dialect());
  // No master key needed: an operator who lost it can still remove what it sealed.
  auto done = store::remove_integration(s, *id, c.actor());
  if (!done) return c.send_error(done.error());
  tx.commit();
  c.no_content();
}

void set_state(Context& c, store::IntegrationState state) {
  auto id = path_id(c);
  if (!id) return;
  auto body = read_body(c, kType, true);
  if (!body) return;
  std::string reason;
  if (body->contains("data")) {
    const json& attrs = attributes_of(*body);
    if (!attrs.is_object()) return c.send_error(core::invalid("attributes must be an object", "/data/attributes"));
    for (const auto& [k, v] : attrs.items()) {
      if (k != "reason")
        return c.send_error(core::invalid("unknown attribute " + k + "; an action takes only reason",
                                          "/data/attributes/" + core::kebab(k)));
      auto r = string_member(v, "reason", "/data/attributes/reason");
      if (!r) return c.send_error(r.error());
      reason = r.value();
    }
  }
  auto key = master_key(c);
  if (!key) return;
  soci::session s(c.db.pool());
  store::Transaction tx(s, c.db.dialect());
  store::Integrations integrations(s, c.db.dialect(), *key);
  auto done = integrations.set_state(*id, state, reason, c.actor());
  if (!done) return c.send_error(done.error());
  tx.commit();
  c.send_json(200, integration_document(done.value()));
}

}  // namespace

void add_integration_routes(App& app) {
  app.add_route(admin("GET", {"integrations"}, list));
  app.add_route(admin("POST", {"integrations"}, create));
  app.add_route(admin("GET", {"integrations", "*"}, show));
  app.add_route(admin("PATCH", {"integrations", "*"}, update));
  app.add_route(admin("DELETE", {"integrations", "*"}, remove));
  app.add_route(admin("POST", {"integrations", "*", "actions", "pause"},
                      [](Context& c) { set_state(c, store::IntegrationState::Paused); }));
  app.add_route(admin("POST", {"integrations", "*", "actions", "resume"},
                      [](Context& c) { set_state(c, store::IntegrationState::Active); }));
}

}  // namespace cairn::api
