#include "sync/push_queue.h"

#include "core/psa_capabilities.h"

#include <soci/soci.h>

#include <algorithm>
#include <optional>
#include <string>

#include "core/sync_settings.h"
#include "store/outbox.h"
#include "sync/create_rules.h"
#include "sync/push_changes.h"

namespace cairn::sync {
namespace {

struct Target {
  std::int64_t integration_id = 0;
  std::string kind;
  core::SyncSettings settings;
};

std::optional<core::SyncSettings> settings_of(const std::string& json) {
  try {
    return core::SyncSettings::from_json(json);
  } catch (const std::invalid_argument&) {
    return std::nullopt;  // unreadable settings push nothing
  }
}

// The integration a record of `entity` is linked to (syncing), with two-way on.
std::optional<Target> linked_two_way(soci::session& s, const std::string& entity, std::int64_t local_id) {
  Target t;
  std::string settings;
  long long integration_id = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT l.integration_id, i.kind, i.settings FROM psa_links l JOIN integrations i ON i.id = l.integration_id "
       "WHERE l.entity = :e AND l.local_id = :l AND l.state = 'syncing'",
      soci::use(entity), soci::use(local_id), soci::into(integration_id, ind), soci::into(t.kind), soci::into(settings);
  if (ind != soci::i_ok) return std::nullopt;
  t.integration_id = integration_id;
  auto parsed = settings_of(settings);
  if (!parsed || !parsed->two_way) return std::nullopt;
  t.settings = *parsed;
  return t;
}

// A new organization goes to its parent's integration, else to the one integration with two-way on.
std::optional<Target> integration_for_organization(soci::session& s, const core::Value& parent) {
  if (!parent.is_null()) return linked_two_way(s, "organization", parent.as_int());
  std::optional<Target> only;
  soci::rowset<soci::row> rs = (s.prepare << "SELECT CAST(id AS TEXT), kind, settings FROM integrations");
  for (const auto& row : rs) {
    auto parsed = settings_of(row.get<std::string>(2));
    if (!parsed || !parsed->two_way) continue;
    if (only) return std::nullopt;  // several: which PSA is meant is the person's call (cairn link)
    only = Target{std::stoll(row.get<std::string>(0)), row.get<std::string>(1), *parsed};
  }
  return only;
}

bool linked_at_all(soci::session& s, const std::string& entity, std::int64_t local_id) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM psa_links WHERE entity = :e AND local_id = :l", soci::use(entity), soci::use(local_id),
      soci::into(n);
  return n > 0;
}

std::optional<std::string> lookup_name(soci::session& s, const core::EntitySchema& schema, const store::Record& r,
                                       const char* attribute) {
  const core::Field* f = schema.field(attribute);
  if (!f || r[*f].is_null()) return std::nullopt;
  const core::EntitySchema* target = core::find_entity(f->references);
  if (!target) return std::nullopt;
  std::string name;
  soci::indicator ind = soci::i_null;
  const std::int64_t id = r[*f].as_int();
  s << "SELECT name FROM " + target->table + " WHERE id = :i", soci::use(id), soci::into(name, ind);
  if (ind != soci::i_ok) return std::nullopt;
  return name;
}

bool has_value_of(const core::EntitySchema& schema, const store::Record& r, const char* attribute) {
  const core::Field* f = schema.field(attribute);
  return f && has_value(r[*f]);
}

// A primary location with a phone, of an organization in no PSA: the organization's create is
// decided again (D16), as if it had been saved. True when it is queued now.
bool retry_organization_create(soci::session& s, store::Dialect d, const core::EntitySchema& locations,
                               const store::Record& location) {
  const core::Field* org = locations.field("organization_id");
  const core::Field* primary = locations.field("primary");
  if (!org || !primary || location[*org].is_null() || !location[*primary].is_bool() ||
      !location[*primary].as_bool())
    return false;
  if (!has_value_of(locations, location, "phone") || linked_at_all(s, "organization", location[*org].as_int())) return false;
  return queue_create(s, d, core::entity("organizations"), location[*org].as_int(), false);
}

}  // namespace

bool queue_update(soci::session& s, store::Dialect d, const core::EntitySchema& schema, const store::Record& before,
                  const store::Record& after) {
  auto e = sync_entity_of(schema.link_entity);
  if (!e || !schema.has_psa_link) return false;
  auto target = linked_two_way(s, schema.link_entity, after.id);
  if (!target) {
    if (linked_at_all(s, schema.link_entity, after.id)) return false;  // one-way, orphaned or disabled: nothing to push
    return queue_create(s, d, schema, after.id, false);
  }
  std::vector<const core::Field*> changed;
  for (const auto& f : schema.fields)
    if (f.storage != core::Storage::Derived && f.storage != core::Storage::Auto && !(before[f] == after[f]))
      changed.push_back(&f);
  // A product is a manufacturer and a model together (Autotask): one changing sends both.
  for (const char* pair : {"manufacturer_id", "model_id"}) {
    const core::Field* f = schema.field(pair);
    bool either = false;
    for (const auto* c : changed) either = either || c->name == "manufacturer_id" || c->name == "model_id";
    if (f && either && std::find(changed.begin(), changed.end(), f) == changed.end()) changed.push_back(f);
  }
  // A contact's emails and phones are pushed as their primary one (R16): a change elsewhere in
  // the list sends nothing, unless the PSA takes whole lists (core/psa_capabilities.h).
  const core::Capabilities* caps = core::capabilities_for(target->kind);
  if (!caps || !caps->pushes_contact_lists) std::erase_if(changed, [&](const core::Field* f) {
    if (f->name == "contact_emails") return primary_email(schema, before) == primary_email(schema, after);
    if (f->name == "contact_phones") return primary_phone(schema, before) == primary_phone(schema, after);
    return false;
  });
  if (changed.empty()) return false;
  std::string payload = payload_of(s, target->kind, *e, schema, after, changed, channel_types(target->settings));
  if (payload.empty()) return false;  // only Cairn's own attributes changed
  store::Outbox(s, d).enqueue(target->integration_id, schema.link_entity, after.id, "update", payload);
  return true;
}

bool queue_create(soci::session& s, store::Dialect d, const core::EntitySchema& schema, std::int64_t id, bool bulk) {
  auto e = sync_entity_of(schema.link_entity);
  if (!e || !schema.has_psa_link || linked_at_all(s, schema.link_entity, id)) return false;
  store::Records records(s, d);
  auto r = records.get(schema, id);
  if (!r) return false;
  std::optional<Target> target;
  if (*e == core::SyncEntity::Organization) {
    const core::Field* parent = schema.field("parent_id");
    target = integration_for_organization(s, parent ? (*r)[*parent] : core::Value());
  } else if (const core::Field* org = schema.field("organization_id"); org && !(*r)[*org].is_null()) {
    target = linked_two_way(s, "organization", (*r)[*org].as_int());
  }
  if (!target) {
    // Not in a PSA because its organization is not: if that organization waits for a company
    // phone (Autotask's comes from its primary location), this save may have given it one.
    // (The location itself stays local until its next save or a push-all: the company is not yet in the PSA.)
    return *e == core::SyncEntity::Location && !bulk && retry_organization_create(s, d, schema, *r);
  }
  store::Outbox outbox(s, d);
  if (outbox.create_unfinished(schema.link_entity, id)) return false;  // the queued create sends today's values
  CreateCandidate c;
  c.entity = *e;
  c.bulk = bulk;
  if (*e == core::SyncEntity::Organization) {
    c.type_name = lookup_name(s, schema, *r, "organization_type_id");
    c.status_name = lookup_name(s, schema, *r, "organization_status_id");
  } else if (*e == core::SyncEntity::Configuration) {
    c.type_name = lookup_name(s, schema, *r, "configuration_type_id");
    c.status_name = lookup_name(s, schema, *r, "configuration_status_id");
  }
  c.has = [&](const std::string& attribute) { return has_value_of(schema, *r, attribute.c_str()); };
  if (auto why = why_not_created(target->kind, c, target->settings)) {
    outbox.not_pushed(target->integration_id, schema.link_entity, id, *why);
    return false;
  }
  outbox.enqueue(target->integration_id, schema.link_entity, id, "create", "{}");
  return true;
}

}  // namespace cairn::sync
