#pragma once
// reference-behaviour.md §2.2 (Autotask ⇄ Cairn) as data. Autotask returns its lookups by id
// (company type picklist, CI type, product, resource): the source resolves them once per run
// (D27) and puts the names on the wire record under "~" members before the codec reads it.
#include <string>
#include <vector>

#include "psa/mapping.h"

namespace cairn::psa::autotask {

const Mapping& mapping();

// Autotask's entity for a Cairn entity ("Companies", "CompanyLocations", "Contacts", "ConfigurationItems").
const char* entity_path(core::SyncEntity e);
// The field whose time says when a record last changed ("" when the entity has none: a full scan).
const char* modified_field(core::SyncEntity e);

// A "~" member of the wire record and the Autotask id field it is resolved from.
struct Resolution {
  std::string member;    // "~companyType"
  std::string id_field;  // "companyType"
};
const std::vector<Resolution>& resolutions();

// The IncludeFields of a query: exactly what the mapping reads of an entity, plus id and the modified field.
std::vector<std::string> include_fields(core::SyncEntity e);

}  // namespace cairn::psa::autotask
