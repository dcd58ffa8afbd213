#include "api/resources.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include <optional>

#include "api/admin_routes.h"
#include "api/jsonapi.h"
#include "core/naming.h"
#include "core/url_encode.h"
#include "core/psa_record.h"
#include "core/sync_settings.h"
#include "store/documents.h"
#include "store/outbox.h"
#include "sync/push_queue.h"
#include "sync/read_only.h"

namespace cairn::api {
namespace {

using core::EntitySchema;

struct Target {
  const EntitySchema* entity = nullptr;
  std::optional<std::int64_t> id;         // member routes
  const EntitySchema* parent = nullptr;   // nested routes
  std::int64_t parent_id = 0;
};

// Which resource the path names, if any.
std::optional<Target> resolve(const std::vector<std::string>& s) {
  Target t;
  if (s.size() == 1 || s.size() == 2) {
    t.entity = core::find_entity(s[0]);
    if (!t.entity) return std::nullopt;
    if (s.size() == 2) {
      t.id = parse_id(s[1]);
      if (!t.id) return std::nullopt;
    }
    return t;
  }
  if ((s.size() == 4 || s.size() == 5) && s[2] == "relationships") {
    t.entity = core::find_entity(s[3]);
    t.parent = core::find_entity(s[0]);
    auto pid = parse_id(s[1]);
    if (!t.entity || !t.parent || !pid || t.entity->parent_type != s[0]) return std::nullopt;
    t.parent_id = *pid;
    if (s.size() == 5) {
      t.id = parse_id(s[4]);
      if (!t.id) return std::nullopt;
    }
    return t;
  }
  return std::nullopt;
}

// Link parameters keep ",", "*" and ":" readable (filter lists, wildcards, dates).
std::string url_encode(const std::string& s) { return core::url_encode(s, ",*:"); }

// The same request for another page: every parameter kept, page[number] replaced.
std::string page_link(const Context& c, std::int64_t page) {
  std::string q;
  for (const auto& [k, v] : c.params()) {
    if (k == "page[number]") continue;
    q += (q.empty() ? "?" : "&") + url_encode(k) + "=" + url_encode(v);
  }
  q += (q.empty() ? "?" : "&") + url_encode("page[number]") + "=" + std::to_string(page);
  return c.public_url + c.req.path + q;
}

std::optional<nlohmann::json> read_body(Context& c) {
  const auto& ct = c.req.get_header_value("Content-Type");
  if (!ct.empty() && ct.rfind("application/vnd.api+json", 0) != 0 && ct.rfind("application/json", 0) != 0) {
    c.send_error(core::Error{core::ErrorKind::Unsupported, "Unsupported media type",
                             "send bodies as application/vnd.api+json (or application/json), not " + ct, "", ""});
    return std::nullopt;
  }
  try {
    auto j = nlohmann::json::parse(c.req.body);
    if (!j.is_object() || !j.contains("data")) {
      c.send_error(core::bad_request("the body must be a JSON:API document with a top-level \"data\" member"));
      return std::nullopt;
    }
    return j;
  } catch (const nlohmann::json::parse_error& e) {
    c.send_error(core::bad_request(std::string("the body is not valid JSON: ") + e.what()));
    return std::nullopt;
  }
}

// The attributes of one resource object, with its type checked.
core::Result<store::Changes> item_changes(const EntitySchema& e, const nlohmann::json& item, const std::string& at) {
  if (!item.is_object()) return core::invalid("a resource object must be a JSON object", at);
  if (item.contains("type") && item["type"] != e.type)
    return core::invalid("type must be \"" + e.type + "\"", at + "/type");
  if (item.contains("relationships") && !item["relationships"].empty())
    return core::invalid("relationships cannot be set here; use the *-id attributes", at + "/relationships");
  if (!item.contains("attributes")) return store::Changes{};
  return parse_attributes(e, item["attributes"], at + "/attributes");
}

std::optional<std::int64_t> item_id(const nlohmann::json& item) {
  const nlohmann::json* id = nullptr;
  if (item.contains("id")) id = &item["id"];
  else if (item.contains("attributes") && item["attributes"].is_object() && item["attributes"].contains("id"))
    id = &item["attributes"]["id"];
  if (!id) return std::nullopt;
  if (id->is_number_integer()) return id->get<std::int64_t>();
  if (id->is_string()) return parse_id(id->get<std::string>());
  return std::nullopt;
}

void respond_records(Context& c, soci::session& s, const EntitySchema& e, const std::vector<std::int64_t>& ids,
                     bool as_array, int status) {
  store::Records records(s, c.db.dialect());
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("data");
  if (as_array) w.begin_array();
  for (auto id : ids) {
    auto r = records.get(e, id);
    if (r) write_resource(w, e, *r);
  }
  if (as_array) w.end_array();
  w.end_object();
  c.send_json(status, std::move(out));
}

void list(Context& c, const Target& t) {
  auto q = parse_list_query(*t.entity, c.params());
  if (!q) return c.send_error(q.error());
  soci::session s(c.db.pool());
  store::Records records(s, c.db.dialect());
  if (t.parent) {
    if (!records.exists(*t.parent, t.parent_id))
      return c.send_error(core::not_found(t.parent->link_entity + " " + std::to_string(t.parent_id) + " does not exist"));
    store::Filter f;
    f.field = t.entity->field(t.entity->parent_field);
    f.values = {core::Value(t.parent_id)};
    q->filters.push_back(f);
  }
  auto page = records.list(*t.entity, *q);
  const std::int64_t size = q->page_size, number = q->page_number;
  const std::int64_t pages = std::max<std::int64_t>(1, (page.total + size - 1) / size);
  std::string out;
  out.reserve(page.records.size() * 1400 + 1024);
  core::JsonWriter w(out);
  w.begin_object().key("data").begin_array();
  for (const auto& r : page.records) write_resource(w, *t.entity, r);
  w.end_array();
  w.key("meta").begin_object();
  w.key("current-page").value(number);
  w.key("next-page");
  number < pages ? w.value(number + 1) : w.null();
  w.key("prev-page");
  number > 1 ? w.value(std::min(number - 1, pages)) : w.null();
  w.key("total-pages").value(pages);
  w.key("total-count").value(page.total);
  w.key("filters").begin_object().end_object();
  w.end_object();
  w.key("links").begin_object();
  w.key("self").value(page_link(c, number));
  w.key("first").value(page_link(c, 1));
  if (number > 1) w.key("prev").value(page_link(c, std::min(number - 1, pages)));
  if (number < pages) w.key("next").value(page_link(c, number + 1));
  w.key("last").value(page_link(c, pages));
  w.end_object();
  w.end_object();
  c.send_json(200, std::move(out));
}

void get(Context& c, const Target& t) {
  soci::session s(c.db.pool());
  store::Records records(s, c.db.dialect());
  auto r = records.get(*t.entity, *t.id);
  if (r && t.parent) {
    const auto& pv = (*r)[*t.entity->field(t.entity->parent_field)];
    if (!pv.is_int() || pv.as_int() != t.parent_id) r.reset();
  }
  if (!r) return c.send_error(core::not_found(t.entity->link_entity + " " + std::to_string(*t.id) + " does not exist"));
  c.send_json(200, resource_document(*t.entity, *r));
}

// Sets the parent from the route; a body naming another parent is refused.
std::optional<core::Error> apply_parent(const Target& t, store::Changes& changes, const std::string& at) {
  if (!t.parent) return std::nullopt;
  const core::Field* pf = t.entity->field(t.entity->parent_field);
  for (auto& [f, v] : changes)
    if (f == pf) {
      if (!v.is_int() || v.as_int() != t.parent_id)
        return core::invalid(pf->api_name + " must match the route's " + t.parent->link_entity,
                             at + "/attributes/" + pf->api_name);
      return std::nullopt;
    }
  changes.emplace_back(pf, core::Value(t.parent_id));
  return std::nullopt;
}

void create(Context& c, const Target& t) {
  auto body = read_body(c);
  if (!body) return;
  const auto& data = (*body)["data"];
  const bool many = data.is_array();
  std::vector<const nlohmann::json*> items;
  if (many) for (const auto& i : data) items.push_back(&i);
  else items.push_back(&data);
  if (items.empty()) return c.send_error(core::invalid("data is empty", "/data"));
  soci::session s(c.db.pool());
  if (t.parent) {
    store::Records records(s, c.db.dialect());
    if (!records.exists(*t.parent, t.parent_id))
      return c.send_error(core::not_found(t.parent->link_entity + " " + std::to_string(t.parent_id) + " does not exist"));
  }
  store::Documents docs(s, c.db.dialect());
  std::vector<std::int64_t> ids;
  bool queued = false;
  {
    store::Transaction tx(s, c.db.dialect());
    for (size_t i = 0; i < items.size(); ++i) {
      std::string at = many ? "/data/" + std::to_string(i) : "/data";
      auto changes = item_changes(*t.entity, *items[i], at);
      if (!changes) return c.send_error(changes.error());
      if (auto err = apply_parent(t, *changes, at)) return c.send_error(*err);
      auto id = docs.create(*t.entity, *changes, c.actor(), at + "/attributes");
      if (!id) return c.send_error(id.error());
      ids.push_back(*id);
      // D16: created in the PSA too, with the record, or marked not-pushed with why; several
      // records in one request are an import (R15).
      queued = sync::queue_create(s, c.db.dialect(), *t.entity, *id, many) || queued;
    }
    tx.commit();
  }
  if (queued) store::ring_outbox_bell();
  respond_records(c, s, *t.entity, ids, many, 201);
}

bool belongs(store::Records& records, const Target& t, std::int64_t id) {
  if (!t.parent) return true;
  auto pv = records.column_text(*t.entity, id, *t.entity->field(t.entity->parent_field));
  return pv && *pv == std::to_string(t.parent_id);
}

// D15: a change to an attribute the record's PSA owns is refused, naming the attribute.
std::optional<core::Error> psa_owned(soci::session& s, const core::EntitySchema& e, std::int64_t id,
                                     const store::Changes& changes, const std::string& at) {
  if (!e.has_psa_link) return std::nullopt;
  std::optional<core::SyncEntity> entity;
  for (auto se : {core::SyncEntity::Organization, core::SyncEntity::Location, core::SyncEntity::Contact,
                  core::SyncEntity::Configuration})
    if (e.link_entity == core::link_entity(se)) entity = se;
  if (!entity) return std::nullopt;
  std::string kind, settings;
  soci::indicator ind = soci::i_null;
  // Only a record that syncs is the PSA's: orphaned and disabled ones are the person's again.
  s << "SELECT i.kind, i.settings FROM psa_links l JOIN integrations i ON i.id = l.integration_id "
       "WHERE l.entity = :e AND l.local_id = :id AND l.state = 'syncing'",
      soci::use(e.link_entity), soci::use(id), soci::into(kind, ind), soci::into(settings);
  if (ind != soci::i_ok) return std::nullopt;
  bool two_way = false;
  try {
    two_way = core::SyncSettings::from_json(settings).two_way;
  } catch (const std::invalid_argument&) {
    two_way = false;  // unreadable settings: the safe reading is one-way
  }
  for (const auto& [field, value] : changes)
    if (auto why = sync::read_only_reason(kind, *entity, field->name, two_way))
      return core::invalid(*why, at + "/attributes/" + core::kebab(field->name));
  return std::nullopt;
}

void update(Context& c, const Target& t) {
  auto body = read_body(c);
  if (!body) return;
  const auto& data = (*body)["data"];
  soci::session s(c.db.pool());
  store::Documents docs(s, c.db.dialect());
  std::vector<std::pair<std::int64_t, const nlohmann::json*>> items;
  const bool bulk = !t.id;
  if (bulk) {
    if (!t.entity->bulk || t.parent)
      return c.send_error(405, "Method not allowed", "bulk PATCH is offered on top-level collections only");
    if (!data.is_array()) return c.send_error(core::invalid("bulk PATCH takes an array of resource objects", "/data"));
    for (size_t i = 0; i < data.size(); ++i) {
      auto id = item_id(data[i]);
      if (!id) return c.send_error(core::invalid("each item needs an id", "/data/" + std::to_string(i) + "/attributes/id"));
      items.emplace_back(*id, &data[i]);
    }
  } else {
    if (!data.is_object()) return c.send_error(core::invalid("data must be one resource object", "/data"));
    if (auto id = item_id(data); id && *id != *t.id)
      return c.send_error(core::invalid("id does not match the route", "/data/id"));
    items.emplace_back(*t.id, &data);
  }
  std::vector<std::int64_t> ids;
  bool queued = false;
  {
    store::Transaction tx(s, c.db.dialect());
    for (size_t i = 0; i < items.size(); ++i) {
      std::string at = bulk ? "/data/" + std::to_string(i) : "/data";
      auto [id, item] = items[i];
      if (!belongs(docs.records(), t, id))
        return c.send_error(core::not_found(t.entity->link_entity + " " + std::to_string(id) + " does not exist"));
      auto changes = item_changes(*t.entity, *item, at);
      if (!changes) return c.send_error(changes.error());
      if (auto err = apply_parent(t, *changes, at)) return c.send_error(*err);
      if (auto err = psa_owned(s, *t.entity, id, *changes, at)) return c.send_error(*err);
      std::optional<store::Record> before;
      if (t.entity->has_psa_link) before = docs.records().get(*t.entity, id);
      auto r = docs.update(*t.entity, id, *changes, c.actor(), at + "/attributes");
      if (!r) return c.send_error(r.error());
      ids.push_back(id);
      // D14: the changed two-way attributes go to the PSA, through an outbox row written with the edit.
      if (before) queued = sync::queue_update(s, c.db.dialect(), *t.entity, *before, *r) || queued;
    }
    tx.commit();
  }
  if (queued) store::ring_outbox_bell();
  respond_records(c, s, *t.entity, ids, bulk, 200);
}

void remove(Context& c, const Target& t) {
  soci::session s(c.db.pool());
  store::Documents docs(s, c.db.dialect());
  std::vector<std::int64_t> ids;
  if (t.id) {
    ids.push_back(*t.id);
  } else {
    if (!t.entity->bulk || t.parent)
      return c.send_error(405, "Method not allowed", "bulk DELETE is offered on top-level collections only");
    bool has_filter = false;
    for (const auto& [k, v] : c.params()) has_filter = has_filter || k.rfind("filter[", 0) == 0;
    if (!c.req.body.empty() && has_filter)
      return c.send_error(core::bad_request("bulk DELETE takes either a body or filters, not both"));
    if (!c.req.body.empty()) {
      auto body = read_body(c);
      if (!body) return;
      const auto& data = (*body)["data"];
      if (!data.is_array()) return c.send_error(core::invalid("bulk DELETE takes an array of resource objects", "/data"));
      for (size_t i = 0; i < data.size(); ++i) {
        auto id = item_id(data[i]);
        if (!id) return c.send_error(core::invalid("each item needs an id", "/data/" + std::to_string(i) + "/attributes/id"));
        ids.push_back(*id);
      }
    } else if (has_filter) {
      auto q = parse_list_query(*t.entity, c.params());
      if (!q) return c.send_error(q.error());
      q->page_size = 1000000;
      q->page_number = 1;
      q->with_total = false;
      for (const auto& r : docs.records().list(*t.entity, *q).records) ids.push_back(r.id);
    } else {
      return c.send_error(core::bad_request("bulk DELETE needs a body naming the records, or at least one filter"));
    }
  }
  {
    store::Transaction tx(s, c.db.dialect());
    for (auto id : ids) {
      if (!belongs(docs.records(), t, id))
        return c.send_error(core::not_found(t.entity->link_entity + " " + std::to_string(id) + " does not exist"));
      auto r = docs.remove(*t.entity, id, c.actor());
      if (!r) return c.send_error(r.error());
    }
    tx.commit();
  }
  if (t.id) return c.no_content();
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("data").begin_array();
  for (auto id : ids)
    w.begin_object().key("id").value(std::to_string(id)).key("type").value(t.entity->type).end_object();
  w.end_array().key("meta").begin_object().key("deleted-count").value(static_cast<std::int64_t>(ids.size())).end_object();
  w.end_object();
  c.send_json(200, std::move(out));
}

}  // namespace

bool handle_resource(Context& c) {
  auto t = resolve(c.segments);
  if (!t) return false;
  const auto& m = c.method();
  if (t->entity->read_only && m != "GET")
    return c.send_error(405, "Method not allowed", t->entity->type + " are read-only"), true;
  if (m == "GET") t->id ? get(c, *t) : list(c, *t);
  else if (m == "POST" && !t->id) create(c, *t);
  else if (m == "PATCH") update(c, *t);
  else if (m == "DELETE") remove(c, *t);
  else c.send_error(405, "Method not allowed", m + " is not offered on " + c.req.path);
  return true;
}

}  // namespace cairn::api
