#pragma once
// The Autotask entities the emulator serves, described as data: their fields (wire names,
// types, required / read-only, picklist and reference), which verbs they support, their parent
// route and their change-tracking timestamps. The emulator's generic create/read/update/delete
// and query code runs off these descriptions.
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sim::autotask {

enum class FieldType { String, Integer, Boolean, DateTime, Double };

struct FieldDef {
  std::string name;
  FieldType type = FieldType::String;
  bool required = false;   // on create (and PUT)
  bool read_only = false;  // ignored on writes (assumption T10)
  bool picklist = false;   // integer value checked against the entity's picklist
  std::string reference;   // entity the integer value must name (empty: none)
};

struct EntityDef {
  std::string name;         // "Companies": the path segment
  std::string entity_type;  // "Company": webhook EntityType and entityInformation name
  std::vector<FieldDef> fields;
  bool can_create = false;
  bool can_update = false;
  bool can_delete = false;
  std::string parent;   // "Companies" when written through /Companies/{id}/{subname}
  std::string subname;  // "Contacts", "Locations", "Fields"
  std::string parent_field;  // the child's field holding the parent id: "companyID", "webhookID"
  std::vector<std::string> modified_fields;  // set to "now" on every change
  std::string webhook_entity;  // "CompanyWebhooks" for Companies; empty: no webhooks
};

// All entities, in a stable order.
const std::vector<EntityDef>& entity_defs();
// By path segment, ignoring ASCII case (Autotask paths are case-insensitive); nullptr if none.
const EntityDef* find_entity(std::string_view name);
// The child entity of `parent` reached as /{parent}/{id}/{subname}; nullptr if none.
const EntityDef* find_child(const EntityDef& parent, std::string_view subname);
const FieldDef* find_field(const EntityDef& e, std::string_view name);
bool iequals(std::string_view a, std::string_view b);

}  // namespace cairn::sim::autotask
