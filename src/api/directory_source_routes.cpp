#include "api/directory_source_routes.h"

#include <httplib.h>
#include <soci/soci.h>

#include <optional>

#include "api/admin_routes.h"
#include "core/json_writer.h"
#include "core/naming.h"
#include "store/directory_import_runs.h"
#include "store/directory_sources.h"

namespace cairn::api {
namespace {

using nlohmann::json;
constexpr const char* kType = "directory_sources";

// last: the source's latest import (done or failed), so a failed one shows where a person looks.
void write_source(core::JsonWriter& w, const store::DirectorySource& d, const std::optional<store::DirectoryImportRun>& last) {
  w.begin_object();
  w.key("id").value(std::to_string(d.id));
  w.key("type").value(kType);
  w.key("attributes").begin_object();
  w.key("organization-id").value(d.organization_id);
  w.key("name").value(d.name);
  w.key("url").value(d.url);
  w.key("bind-dn").value(d.bind_dn);
  // Whether a password is stored and readable, never the password.
  w.key("password-set").value(d.password_error.empty());
  w.key("password-error");
  d.password_error.empty() ? w.null() : w.value(d.password_error);
  w.key("base-dn").value(d.base_dn);
  w.key("filter");
  d.filter.empty() ? w.null() : w.value(d.filter);
  w.key("start-tls").value(d.start_tls);
  w.key("schedule-hours").value(d.schedule_hours);
  auto nullable = [&](const char* key, const std::string& v) {
    w.key(key);
    v.empty() ? w.null() : w.value(v);
  };
  nullable("last-import-state", last ? last->state : "");
  nullable("last-import-at", last ? last->started_at : "");
  nullable("last-import-error", last ? last->error : "");
  w.key("last-import-counts");
  if (last && !last->counts.empty()) w.raw(last->counts);
  else w.null();
  w.key("created-at").value(d.created_at);
  w.key("updated-at").value(d.updated_at);
  w.end_object();
  w.key("links").begin_object();
  w.key("import-runs").value("/directory_import_runs?filter[directory_source_id]=" + std::to_string(d.id) + "&sort=-id");
  w.end_object();
  w.end_object();
}

std::string source_document(const store::DirectorySource& d, const std::optional<store::DirectoryImportRun>& last) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("data");
  write_source(w, d, last);
  w.end_object();
  return out;
}

// Attributes of a create or an update; read-only ones are ignored, unknown ones refused.
core::Result<store::DirectorySourceInput> parse_input(const json& attrs, const std::string& p) {
  if (!attrs.is_object()) return core::invalid("attributes must be an object", p);
  store::DirectorySourceInput in;
  for (const auto& [k, v] : attrs.items()) {
    const std::string name = core::snake(k), at = p + "/" + core::kebab(k);
    auto text = [&](std::optional<std::string>& out) -> std::optional<core::Error> {
      if (v.is_null() && name == "filter") {
        out = "";
        return std::nullopt;
      }
      auto s = string_member(v, core::kebab(k), at);
      if (!s) return s.error();
      out = s.value();
      return std::nullopt;
    };
    std::optional<core::Error> e;
    if (name == "name") e = text(in.name);
    else if (name == "url") e = text(in.url);
    else if (name == "bind_dn") e = text(in.bind_dn);
    else if (name == "password") e = text(in.password);
    else if (name == "base_dn") e = text(in.base_dn);
    else if (name == "filter") e = text(in.filter);
    else if (name == "organization_id") {
      if (v.is_number_integer()) in.organization_id = v.get<std::int64_t>();
      else if (v.is_string() && parse_id(v.get<std::string>())) in.organization_id = parse_id(v.get<std::string>());
      else e = core::invalid("organization-id must be an organization's id", at);
    } else if (name == "start_tls") {
      if (!v.is_boolean()) e = core::invalid(std::string("start-tls must be true or false, not ") + v.type_name(), at);
      else in.start_tls = v.get<bool>();
    } else if (name == "schedule_hours") {
      if (!v.is_number_integer()) e = core::invalid(std::string("schedule-hours must be an integer, not ") + v.type_name(), at);
      else if (v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 1'000'000) e = core::invalid("schedule-hours is out of range", at);
      else in.schedule_hours = v.get<int>();
    } else if (name == "id" || name == "password_set" || name == "password_error" || name == "created_at" ||
               name == "updated_at" || name.rfind("last_import_", 0) == 0) {
      continue;
    } else {
      e = core::invalid("unknown attribute " + k + " for directory_sources", at);
    }
    if (e) return *e;
  }
  return in;
}

std::optional<std::int64_t> path_id(Context& c) {
  auto id = parse_id(c.segments[1]);
  if (!id) c.send_error(core::not_found("directory source " + c.segments[1] + " does not exist"));
  return id;
}

// Runs f with the sources store (and the import log) over a fresh session; nothing runs without
// the master key.
template <typename F>
void with_sources(Context& c, bool write, F f) {
  auto key = master_key(c);
  if (!key) return;
  soci::session s(c.db.pool());
  std::optional<store::Transaction> tx;
  if (write) tx.emplace(s, c.db.dialect());
  store::DirectorySources sources(s, c.db.dialect(), *key);
  store::DirectoryImportRuns runs(s);
  if (f(sources, runs) && tx) tx->commit();
}

void list(Context& c) {
  std::optional<std::int64_t> org;
  auto range = c.params().equal_range("filter[organization_id]");
  for (auto it = range.first; it != range.second; ++it) {
    org = parse_id(it->second);
    if (!org) return c.send_error(core::bad_request("filter[organization_id] must be an id", "filter[organization_id]"));
  }
  with_sources(c, false, [&](store::DirectorySources& sources, store::DirectoryImportRuns& runs) {
    auto all = sources.list(org);
    std::string out;
    core::JsonWriter w(out);
    w.begin_object().key("data").begin_array();
    for (const auto& d : all) write_source(w, d, runs.latest(d.id));
    w.end_array();
    w.key("meta").begin_object().key("total-count").value(static_cast<std::int64_t>(all.size())).end_object();
    w.end_object();
    c.send_json(200, std::move(out));
    return true;
  });
}

void show(Context& c) {
  auto id = path_id(c);
  if (!id) return;
  with_sources(c, false, [&](store::DirectorySources& sources, store::DirectoryImportRuns& runs) {
    auto d = sources.get(*id);
    if (!d) c.send_error(core::not_found("directory source " + std::to_string(*id) + " does not exist"));
    else c.send_json(200, source_document(*d, runs.latest(*id)));
    return true;
  });
}

// POST (no id) creates, PATCH (an id) updates; each in one transaction.
void save(Context& c, bool create) {
  std::optional<std::int64_t> id;
  if (!create && !(id = path_id(c))) return;
  auto body = read_body(c, kType);
  if (!body) return;
  auto in = parse_input(attributes_of(*body), "/data/attributes");
  if (!in) return c.send_error(in.error());
  with_sources(c, true, [&](store::DirectorySources& sources, store::DirectoryImportRuns& runs) {
    auto saved = id ? sources.update(*id, in.value(), c.actor()) : sources.create(in.value(), c.actor());
    if (!saved) {
      c.send_error(saved.error());
      return false;
    }
    if (!id) c.res.set_header("Location", c.public_url + "/directory_sources/" + std::to_string(saved->id));
    c.send_json(id ? 200 : 201, source_document(saved.value(), runs.latest(saved->id)));
    return true;
  });
}

void remove(Context& c) {
  auto id = path_id(c);
  if (!id) return;
  soci::session s(c.db.pool());
  store::Transaction tx(s, c.db.dialect());
  // No master key needed: an operator who lost it can still remove a source.
  auto done = store::remove_directory_source(s, *id, c.actor());
  if (!done) return c.send_error(done.error());
  tx.commit();
  c.no_content();
}

}  // namespace

void add_directory_source_routes(App& app) {
  app.add_route(admin("GET", {"directory_sources"}, list));
  app.add_route(admin("POST", {"directory_sources"}, [](Context& c) { save(c, true); }));
  app.add_route(admin("GET", {"directory_sources", "*"}, show));
  app.add_route(admin("PATCH", {"directory_sources", "*"}, [](Context& c) { save(c, false); }));
  app.add_route(admin("DELETE", {"directory_sources", "*"}, remove));
}

}  // namespace cairn::api
