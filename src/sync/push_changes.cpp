#include "sync/push_changes.h"

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include "core/psa_capabilities.h"
#include "psa/mappings.h"
#include "psa/source.h"

namespace cairn::sync {

using nlohmann::json;

namespace {

const core::SyncEntity kAll[] = {core::SyncEntity::Organization, core::SyncEntity::Location, core::SyncEntity::Contact,
                                 core::SyncEntity::Configuration};

// Contact emails and phones travel as "channels" (the primary one of each, R16), not as fields,
// except to PSAs that write a contact's whole lists (Kaseya V2's email and phone sub-resources),
// which get the rows themselves.
bool channel(const psa::MappingRow& row, const std::string& kind) {
  const core::Capabilities* caps = core::capabilities_for(kind);
  const bool whole_lists = caps && caps->pushes_contact_lists;
  switch (row.read) {
    case psa::Read::Emails:
    case psa::Read::Phones: return !whole_lists;
    case psa::Read::EmailSlot:
    case psa::Read::PhoneSlot: return true;
    default: return false;
  }
}

bool pushable(const psa::MappingRow& row) {
  switch (row.read) {
    case psa::Read::FaxSlot:
    case psa::Read::Deleted: return false;
    default: return row.direction != psa::Direction::PsaToCairn;
  }
}

std::string text_at(const core::Row& row, const core::EntitySchema& child, const char* name) {
  const core::Field* f = child.field(name);
  if (!f || f->index >= row.size() || row[f->index].is_null()) return {};
  return row[f->index].to_text();
}

bool flag_at(const core::Row& row, const core::EntitySchema& child, const char* name) {
  const core::Field* f = child.field(name);
  return f && f->index < row.size() && row[f->index].is_bool() && row[f->index].as_bool();
}

// The row marked primary, else the first, of those `keep` accepts.
template <typename Keep>
std::optional<Channel> primary_of(const core::EntitySchema& contacts, const store::Record& r, const char* attribute, Keep keep) {
  const core::Field* f = contacts.field(attribute);
  if (!f || !f->child || !r[*f].is_rows()) return std::nullopt;
  const core::EntitySchema& child = *f->child;
  std::optional<Channel> first;
  for (const auto& row : r[*f].as_rows()) {
    if (!keep(row, child)) continue;
    Channel c{text_at(row, child, "value"), text_at(row, child, "extension"), text_at(row, child, "label_name")};
    if (c.value.empty()) continue;
    if (flag_at(row, child, "primary")) return c;
    if (!first) first = c;
  }
  return first;
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

ChannelTypes channel_types(const core::SyncSettings& settings) {
  return {settings.two_way_email_type, settings.two_way_phone_type};
}

std::optional<Channel> primary_email(const core::EntitySchema& contacts, const store::Record& r) {
  return primary_of(contacts, r, "contact_emails", [](const core::Row&, const core::EntitySchema&) { return true; });
}

std::optional<Channel> primary_phone(const core::EntitySchema& contacts, const store::Record& r) {
  return primary_of(contacts, r, "contact_phones", [](const core::Row& row, const core::EntitySchema& child) {
    return text_at(row, child, "label_type") != "fax";
  });
}

bool has_value(const core::Value& v) {
  if (v.is_null()) return false;
  if (v.is_string()) return !v.as_string().empty();
  if (v.is_rows()) return !v.as_rows().empty();
  return true;
}

std::optional<core::SyncEntity> sync_entity_of(const std::string& link_entity) {
  for (auto e : kAll)
    if (link_entity == core::link_entity(e)) return e;
  return std::nullopt;
}

std::string payload_of(soci::session& s, const std::string& kind, core::SyncEntity e, const core::EntitySchema& schema,
                       const store::Record& record, const std::vector<const core::Field*>& fields,
                       const ChannelTypes& types) {
  std::vector<const core::Field*> chosen = fields;
  const bool full = fields.empty();
  if (full)
    for (const auto& f : schema.fields) chosen.push_back(&f);
  json out = {{"fields", json::object()}, {"lookups", json::object()}, {"refs", json::object()}};
  bool any = false;
  for (const auto* f : chosen) {
    const psa::MappingRow* row = psa::mapped(kind, e, f->name);
    if (!row || !pushable(*row)) continue;
    if (!full && row->direction == psa::Direction::CairnToPsaOnCreate) continue;  // an edit never sends it
    if (channel(*row, kind)) {
      // R16: the primary email or phone with the PSA type the settings name; none named, none sent.
      const bool email = f->name == "contact_emails";
      const std::string& type = email ? types.email : types.phone;
      auto c = email ? primary_email(schema, record) : primary_phone(schema, record);
      if (type.empty() || !c) continue;
      json item = {{"value", c->value}, {"type", type}};
      if (!email) item["extension"] = c->extension.empty() ? json(nullptr) : json(c->extension);
      out["channels"][f->name] = std::move(item);
      any = true;
      continue;
    }
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
             refs = p.value("refs", json::object()), channels = p.value("channels", json::object());
  for (const auto& [k, v] : fields.items()) r.fields[k] = value_of(v);
  // Channels become the rows the codecs read and write (json_codec.h): an email is
  // [value, label, primary], a phone [value, extension, label, kind, primary]; the label is the PSA type.
  for (const auto& [k, v] : channels.items()) {
    if (!v.is_object() || !v.contains("value") || !v["value"].is_string()) continue;
    const core::Value value(v["value"].get<std::string>());
    const core::Value type = v.contains("type") && v["type"].is_string() ? core::Value(v["type"].get<std::string>()) : core::Value();
    if (k == "contact_emails") {
      r.fields[k] = core::Value(core::Rows{{value, type, core::Value(true)}});
    } else if (k == "contact_phones") {
      const core::Value ext = v.contains("extension") && v["extension"].is_string() ? core::Value(v["extension"].get<std::string>())
                                                                                     : core::Value();
      r.fields[k] = core::Value(core::Rows{{value, ext, type, core::Value("phone"), core::Value(true)}});
    }
  }
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
