#include "sync/planner.h"

#include <algorithm>

#include "core/schema.h"

namespace cairn::sync {

using core::SyncEntity;

void Lookups::add(const std::string& type, const std::string& name, std::int64_t id) {
  std::lock_guard lock(m_);
  ids_[type][name] = id;
}

std::int64_t Lookups::resolve(const std::string& type, const std::string& name) {
  std::lock_guard lock(m_);
  auto& by_name = ids_[type];
  auto it = by_name.find(name);
  if (it != by_name.end()) return it->second;
  missing_[type].insert(name);
  placeholders_[next_placeholder_] = {type, name};
  return by_name[name] = next_placeholder_--;
}

std::optional<std::pair<std::string, std::string>> Lookups::placeholder(std::int64_t id) const {
  std::lock_guard lock(m_);
  auto it = placeholders_.find(id);
  if (it == placeholders_.end()) return std::nullopt;
  return it->second;
}

void Lookups::created(std::int64_t placeholder_id, std::int64_t id) {
  std::lock_guard lock(m_);
  auto it = placeholders_.find(placeholder_id);
  if (it == placeholders_.end()) return;
  ids_[it->second.first][it->second.second] = id;
  missing_[it->second.first].erase(it->second.second);
}

Planner::Planner(std::string kind, core::SyncSettings settings, LocalState& local, PlanOptions options)
    : kind_(std::move(kind)), settings_(std::move(settings)), local_(local), options_(options) {}

namespace {
// Which lookup table each reference attribute names.
const std::map<std::string, std::string>& lookup_tables() {
  static const std::map<std::string, std::string> t = {
      {"organization_type_id", "organization_types"},     {"organization_status_id", "organization_statuses"},
      {"configuration_type_id", "configuration_types"},   {"configuration_status_id", "configuration_statuses"},
      {"contact_type_id", "contact_types"},               {"manufacturer_id", "manufacturers"},
      {"model_id", "models"},                             {"operating_system_id", "operating_systems"},
      {"country_id", "countries"},                        {"region_id", "regions"},
  };
  return t;
}
}  // namespace

std::int64_t Planner::org_for(const core::PsaRef& ref, std::string& why) {
  auto& links = local_.links[SyncEntity::Organization];
  auto l = links.find(ref.psa_id);
  if (l != links.end() && l->second.state == "syncing") return l->second.local_id;
  auto p = pending_[SyncEntity::Organization].find(ref.psa_id);
  if (p != pending_[SyncEntity::Organization].end()) return p->second;
  auto label = labels_[SyncEntity::Organization].find(ref.psa_id);
  why = "its company " + (label != labels_[SyncEntity::Organization].end() ? label->second + " (" + ref.psa_id + ")" : ref.psa_id) +
        " does not sync";
  return 0;
}

Desired Planner::resolve(const core::PsaRecord& r) {
  core::PsaRecord copy = r;
  return resolve_taking_fields(copy);
}

Desired Planner::resolve_taking_fields(core::PsaRecord& r) {
  Desired d;
  d.values = std::move(r.fields);
  r.fields.clear();  // a moved-from map is valid but unspecified: say what it holds
  for (auto& [k, v] : d.values)
    if (v.is_string() && v.as_string().empty()) v = core::Value();
  for (const auto& [field, why] : r.dropped) d.notes.push_back(field + " left as it is: " + why);
  for (const auto& [field, name] : r.lookups) {
    auto t = lookup_tables().find(field);
    if (t == lookup_tables().end() || name.empty()) {
      d.values[field] = core::Value();
      continue;
    }
    d.values[field] = core::Value(local_.lookups.resolve(t->second, name));
    d.texts[field] = name;
    if (field == "region_id") d.values["region_name"] = core::Value(name);
    if (field == "country_id") d.values["country_name"] = core::Value(name);
  }
  if (r.entity == SyncEntity::Organization || r.entity == SyncEntity::Configuration) {
    std::string t = chosen_type(r, settings_);
    const char* field = r.entity == SyncEntity::Organization ? "organization_type_id" : "configuration_type_id";
    const char* table = r.entity == SyncEntity::Organization ? "organization_types" : "configuration_types";
    if (!t.empty()) {
      d.values[field] = core::Value(local_.lookups.resolve(table, t));
      d.texts[field] = t;
    }
    if (r.status_name) {
      const char* sf = r.entity == SyncEntity::Organization ? "organization_status_id" : "configuration_status_id";
      const char* st = r.entity == SyncEntity::Organization ? "organization_statuses" : "configuration_statuses";
      d.values[sf] = core::Value(local_.lookups.resolve(st, *r.status_name));
      d.texts[sf] = *r.status_name;
    }
  }
  std::int64_t org = 0;
  for (const auto& [field, ref] : r.refs) {
    if (field == "organization_id") {
      std::string why;
      org = org_for(ref, why);
      if (!org) d.unplaced = why;
      d.values[field] = org ? core::Value(org) : core::Value();
      auto label = labels_[SyncEntity::Organization].find(ref.psa_id);
      if (label != labels_[SyncEntity::Organization].end()) d.texts[field] = label->second;
    }
  }
  for (const auto& [field, ref] : r.refs) {
    if (field == "organization_id") continue;
    std::int64_t id = 0;
    auto& links = local_.links[ref.entity];
    auto l = links.find(ref.psa_id);
    if (l != links.end() && l->second.state == "syncing") id = l->second.local_id;
    else if (auto p = pending_[ref.entity].find(ref.psa_id); p != pending_[ref.entity].end()) id = p->second;
    auto label = labels_[ref.entity].find(ref.psa_id);
    // Only a note needs it: most references resolve, and this ran for each of them.
    auto what = [&] {
      return std::string(core::link_entity(ref.entity)) + " " +
             (label != labels_[ref.entity].end() ? label->second + " (" + ref.psa_id + ")" : ref.psa_id);
    };
    if (!id) {
      d.notes.push_back(field + " left empty: " + what() + " does not sync");
      d.values[field] = core::Value();
      continue;
    }
    if (field == "contact_id" && org) {
      // R9: a configuration's contact is set only when the contact belongs to the same company.
      std::int64_t contact_org = 0;
      if (auto c = contact_org_.find(ref.psa_id); c != contact_org_.end()) contact_org = c->second;
      else if (local_.contact_organization && id > 0) contact_org = local_.contact_organization(id);
      if (contact_org != org) {
        d.notes.push_back("contact_id left empty: " + what() + " belongs to another company");
        d.values[field] = core::Value();
        continue;
      }
    }
    d.values[field] = core::Value(id);
    if (label != labels_[ref.entity].end()) d.texts[field] = label->second;
  }
  if (r.entity == SyncEntity::Contact && org) contact_org_[r.psa_id] = org;
  return d;
}

namespace {
// A value as resolve() leaves it: empty text is no value.
const core::Value* filled(const std::map<std::string, core::Value>& values, const char* field) {
  auto it = values.find(field);
  if (it == values.end() || it->second.is_null() || (it->second.is_string() && it->second.as_string().empty())) return nullptr;
  return &it->second;
}
}  // namespace

void Planner::remember_label(const core::PsaRecord& r, const std::map<std::string, core::Value>& values) {
  // Names of what other records point at, for reasons and texts; nothing points at a configuration,
  // and a million of their names would be memory for nothing.
  if (r.entity == SyncEntity::Configuration) return;
  const core::Value* name = filled(values, "name");
  if (name && name->is_string()) {
    labels_[r.entity][r.psa_id] = name->as_string();
  } else if (r.entity == SyncEntity::Contact) {
    const core::Value* first = filled(values, "first_name");
    const core::Value* last = filled(values, "last_name");
    labels_[r.entity][r.psa_id] = trimmed((first ? key_text(*first) : "") + " " + (last ? key_text(*last) : ""));
  }
}

std::optional<Action> Planner::unchanged(const core::PsaRecord& r, const LinkInfo& link, const std::string& fingerprint) {
  // D12: the PSA says what it said last time, so nothing is read or written for it. Checked
  // before the record is resolved: a resync with nothing changed is almost all such records.
  if (link.state != "syncing" || link.fingerprint != fingerprint || !gate(r, settings_).syncs) return std::nullopt;
  std::int64_t org = 0;
  if (auto ref = r.refs.find("organization_id"); ref != r.refs.end()) {
    std::string why;
    org = org_for(ref->second, why);
    if (!org) return std::nullopt;  // its company no longer syncs: resolve() says why
  }
  // What later records need of it, as resolve() and add() note it.
  if (r.entity == SyncEntity::Contact && org) contact_org_[r.psa_id] = org;
  remember_label(r, r.fields);
  Action same;
  same.kind = ActionKind::Unchanged;
  same.entity = r.entity;
  same.psa_id = r.psa_id;
  same.local_id = link.local_id;
  same.fingerprint = link.fingerprint;
  return same;
}

std::vector<Action> Planner::add(core::PsaRecord r) {
  std::vector<Action> out;
  // Taken while the record still holds its fields: resolve moves them out.
  std::string fp = fingerprint(r);
  auto& links = local_.links[r.entity];
  auto link_it = links.find(r.psa_id);
  if (link_it != links.end()) {
    link_it->second.seen = true;
    if (auto same = unchanged(r, link_it->second, fp)) {
      out.push_back(std::move(*same));
      return out;
    }
  }
  Desired d = resolve_taking_fields(r);
  Gate g = gate(r, settings_);
  remember_label(r, d.values);

  ReconcileInput in{r, d, g, nullptr, nullptr, {}, {}, {}, std::move(fp)};
  auto& index = local_.unlinked[r.entity];
  if (!index) index = std::make_unique<LocalIndex>(match_key(kind_, r.entity));
  if (link_it != links.end()) {
    in.link = &link_it->second;
    if (local_.linked_record) in.linked = local_.linked_record(r.entity, link_it->second.local_id);
  } else if (g.syncs && !d.unplaced) {
    in.exact = index->exact(d);
    in.near = index->near(d);
  }
  // A create with near misses keeps its description, and takes d's values: described now.
  const bool described = options_.describe_every_match || !in.near.empty();
  if (described) in.match_description = index->describe(d);
  in.create_texts = options_.texts_for_every_create || !in.near.empty();
  const LocalRecord* linked = in.linked;
  Action a = reconcile(std::move(in));
  if (!described && (a.kind == ActionKind::Skip || a.kind == ActionKind::Ambiguous || a.kind == ActionKind::Orphan ||
                     a.kind == ActionKind::Link))
    a.match_key = index->describe(d);  // none of these took d's values
  if (a.kind == ActionKind::Orphan && r.entity == SyncEntity::Configuration) {
    // D9: an orphaned configuration becomes Inactive.
    std::int64_t inactive = local_.lookups.resolve("configuration_statuses", "Inactive");
    a.changes = {{"configuration_status_id", core::Value(), core::Value(inactive), "", "Inactive"}};
    if (linked) {
      auto it = linked->values.find("configuration_status_id");
      if (it != linked->values.end()) a.changes[0].old_value = it->second;
      auto t = linked->texts.find("configuration_status_id");
      if (t != linked->texts.end()) a.changes[0].old_text = t->second;
      if (a.changes[0].old_value == a.changes[0].new_value) a.changes.clear();
    }
  }
  if (a.kind == ActionKind::Orphan) ++streamed_orphans_[r.entity];
  // Found here, not by the writer: its thread is the run's busiest.
  const auto& schema = core::entity(core::entity_type(r.entity));
  for (auto& c : a.changes) c.target = schema.field(c.field);
  switch (a.kind) {
    case ActionKind::Create:
      a.pending_id = next_pending_--;
      // Later records find it through its pending id; nothing points at a configuration.
      if (r.entity != SyncEntity::Configuration) pending_[r.entity][r.psa_id] = a.pending_id;
      out.push_back(std::move(a));
      break;
    case ActionKind::Link:
      held_links_[r.entity].push_back(std::move(a));
      break;
    case ActionKind::Skip:
    case ActionKind::Ambiguous:
      unsynced_[r.entity].insert(r.psa_id);
      out.push_back(std::move(a));
      break;
    default:
      out.push_back(std::move(a));
  }
  return out;
}

Action Planner::orphan_of(SyncEntity e, const std::string& psa_id, const LinkInfo& link) {
  Action a;
  a.kind = ActionKind::Orphan;
  a.entity = e;
  a.psa_id = psa_id;
  a.local_id = link.local_id;
  a.reason = "no longer in the PSA";
  if (e == SyncEntity::Configuration) {
    std::int64_t inactive = local_.lookups.resolve("configuration_statuses", "Inactive");
    const LocalRecord* cur = local_.linked_record ? local_.linked_record(e, link.local_id) : nullptr;
    FieldChange c{"configuration_status_id", core::Value(), core::Value(inactive), "", "Inactive"};
    if (cur) {
      a.label = cur->label;
      if (auto it = cur->values.find("configuration_status_id"); it != cur->values.end()) c.old_value = it->second;
      if (auto t = cur->texts.find("configuration_status_id"); t != cur->texts.end()) c.old_text = t->second;
    }
    if (!(c.old_value == c.new_value)) a.changes.push_back(c);
  }
  return a;
}

std::vector<Action> Planner::gone(SyncEntity e, const std::string& psa_id) {
  auto link = local_.links[e].find(psa_id);
  if (link == local_.links[e].end() || link->second.state != "syncing") return {};
  link->second.seen = true;
  return {orphan_of(e, psa_id, link->second)};
}

std::vector<Action> Planner::finish(SyncEntity e) {
  std::vector<Action> out;
  // D4, the reverse way: two PSA records that match the same local record link neither.
  std::map<std::int64_t, int> claims;
  for (const auto& a : held_links_[e]) ++claims[a.local_id];
  for (auto& a : held_links_[e]) {
    if (claims[a.local_id] > 1) {
      a.candidates = {a.local_id};
      a.reason = std::to_string(claims[a.local_id]) + " PSA records match " + core::link_entity(e) + " " +
                 std::to_string(a.local_id) + "; link one by hand (cairn link)";
      a.kind = ActionKind::Ambiguous;
      a.local_id = 0;
      a.changes.clear();
    } else {
      local_.unlinked[e]->remove(a.local_id);
      local_.links[e][a.psa_id] = LinkInfo{a.local_id, a.fingerprint, "syncing", false, true};
    }
    out.push_back(std::move(a));
  }
  held_links_[e].clear();
  if (!options_.full) return out;
  std::int64_t linked = 0, orphaned = streamed_orphans_[e];
  std::vector<Action> orphans;
  for (const auto& [psa_id, link] : local_.links[e]) {
    if (link.state == "syncing") ++linked;
    if (link.seen || link.state != "syncing") continue;
    ++orphaned;
    orphans.push_back(orphan_of(e, psa_id, link));
  }
  if (linked > 0 && !options_.allow_mass_orphan && static_cast<double>(orphaned) / static_cast<double>(linked) > options_.mass_orphan_share)
    stop_ = "this run would orphan " + std::to_string(orphaned) + " of " + std::to_string(linked) + " linked " +
            core::link_entity(e) + " records (over " + std::to_string(static_cast<int>(options_.mass_orphan_share * 100)) +
            "%); nothing was written. If the PSA really lost them, run again with --allow-mass-orphan (D10)";
  for (auto& a : orphans) out.push_back(std::move(a));
  return out;
}

}  // namespace cairn::sync
