#include "sync/push_changes.h"

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include "psa/mappings.h"
#include "psa/source.h"

namespace cairn::sync {

using nlohmann::json;

namespace {

const core::SyncEntity kAll[] = {core::SyncEntity::Organization, core::SyncEntity::Location, core::SyncEntity::Contact,
                                 core::SyncEntity::Configuration};

// Contact e-mail and phone lists (Read::Emails, Read::Phones) travel as their rows, for the
// connectors that write them (Kaseya V2); the fixed slots are not written yet (push_codec.h).
bool pushable(const psa::MappingRow& row) {
  switch (row.read) {
    case psa::Read::EmailSlot:
    case psa::Read::PhoneSlot:
    case psa::Read::FaxSlot:
    case psa::Read::Deleted: return false;
    default: return row.direction == psa::Direction::TwoWay;
  }
}

json json_of(const core::Value& v) {
  if (v.is_null()) return nullptr;
  if (v.is_bool()) return v.as_bool();
  if (v.is_int()) return std::to_string(v.as_int());
  if (v.is_rows()) {  // child rows: an array of cell arrays
    json rows = json::array();
    for (const auto& row : v.as_rows()) {
      json cells = json::array();
      for (const auto& cell : row) cells.push_back(json_of(cell));
      rows.push_back(std::move(cells));
    }
    return rows;
  }
  return v.to_text();
}

core::Value value_of(const json& j) {
  if (j.is_null()) return {};
  if (j.is_boolean()) return core::Value(j.get<bool>());
  if (j.is_string()) return core::Value(j.get<std::string>());
  if (j.is_array()) {
    core::Rows rows;
    for (const auto& cells : j) {
      core::Row row;
      if (cells.is_array())
        for (const auto& cell : cells) row.push_back(value_of(cell));
      rows.push_back(std::move(row));
    }
    return core::Value(std::move(rows));
  }
  return core::Value(j.dump());
}

}  // namespace

std::optional<core::SyncEntity> sync_entity_of(const std::string& link_entity) {
  for (auto e : kAll)
    if (link_entity == core::link_entity(e)) return e;
  return std::nullopt;
}

std::string payload_of(soci::session& s, const std::string& kind, core::SyncEntity e, const core::EntitySchema& schema,
                       const store::Record& record, const std::vector<const core::Field*>& fields) {
  std::vector<const core::Field*> chosen = fields;
  const bool full = fields.empty();
  if (full)
    for (const auto& f : schema.fields) chosen.push_back(&f);
  json out = {{"fields", json::object()}, {"lookups", json::object()}, {"refs", json::object()}};
  bool any = false;
  for (const auto* f : chosen) {
    const psa::MappingRow* row = psa::mapped(kind, e, f->name);
    if (!row || !pushable(*row)) continue;
    const core::Value& v = record[*f];
    if (full && v.is_null()) continue;
    switch (row->read) {
      case psa::Read::Ref: {
        const core::EntitySchema* target = core::find_entity(f->references);
        json id = v.is_null() ? json(nullptr) : json(v.as_int());
        out["refs"][f->name] = {{"entity", target ? target->link_entity : f->references}, {"local_id", id}};
        break;
      }
      case psa::Read::Lookup:
      case psa::Read::Types:
      case psa::Read::Status:
      case psa::Read::Active: {
        std::string name;
        if (!v.is_null()) {
          const core::EntitySchema* target = core::find_entity(f->references);
          if (!target) continue;
          soci::indicator ind = soci::i_null;
          const std::int64_t id = v.as_int();
          s << "SELECT name FROM " + target->table + " WHERE id = :i", soci::use(id), soci::into(name, ind);
        }
        out["lookups"][f->name] = name;
        break;
      }
      default: out["fields"][f->name] = json_of(v);
    }
    any = true;
  }
  return any ? out.dump() : std::string();
}

std::optional<std::string> linked_psa_id(soci::session& s, std::int64_t integration_id, const std::string& entity,
                                         std::int64_t local_id) {
  std::string psa_id;
  soci::indicator ind = soci::i_null;
  s << "SELECT psa_id FROM psa_links WHERE integration_id = :i AND entity = :e AND local_id = :l AND state = 'syncing'",
      soci::use(integration_id), soci::use(entity), soci::use(local_id), soci::into(psa_id, ind);
  if (ind != soci::i_ok) return std::nullopt;
  return psa_id;
}

core::PsaRecord changes_of(soci::session& s, std::int64_t integration_id, core::SyncEntity e, const std::string& payload) {
  json p = json::parse(payload, nullptr, false);
  if (!p.is_object()) throw psa::PushError(422, "the outbox payload is not a JSON object: " + payload.substr(0, 200));
  core::PsaRecord r;
  r.entity = e;
  // Named: items() of a temporary would dangle.
  const json fields = p.value("fields", json::object()), lookups = p.value("lookups", json::object()),
             refs = p.value("refs", json::object());
  for (const auto& [k, v] : fields.items()) r.fields[k] = value_of(v);
  for (const auto& [k, v] : lookups.items()) r.lookups[k] = v.is_string() ? v.get<std::string>() : std::string();
  for (const auto& [k, v] : refs.items()) {
    const std::string entity = v.value("entity", "");
    auto target = sync_entity_of(entity);
    if (!target) continue;  // a reference to something no PSA holds
    if (!v.contains("local_id") || v["local_id"].is_null()) {
      r.refs[k] = core::PsaRef{*target, ""};
      continue;
    }
    const std::int64_t local = v["local_id"].get<std::int64_t>();
    auto psa_id = linked_psa_id(s, integration_id, entity, local);
    if (!psa_id)
      throw psa::PushError(422, k + " points at " + entity + " " + std::to_string(local) +
                                    ", which is not in the PSA; push that " + entity + " first");
    r.refs[k] = core::PsaRef{*target, *psa_id};
  }
  return r;
}

}  // namespace cairn::sync
