#include "psa/mappings.h"

#include "psa/autotask/mapping.h"
#include "psa/bms/mapping.h"
#include "psa/connectwise/mapping.h"
#include "psa/tigerpaw/mapping.h"

namespace cairn::psa {

const Mapping* mapping_for(const std::string& kind) {
  if (kind == "connectwise") return &connectwise::mapping();
  if (kind == "autotask") return &autotask::mapping();
  // Pulseway PSA shares BMS's mapping table (reference-behaviour §2.4: "identical to §2.3").
  if (kind == "bms" || kind == "pulseway") return &bms::mapping();
  if (kind == "tigerpaw") return &tigerpaw::mapping();
  return nullptr;
}

const MappingRow* mapped(const std::string& kind, core::SyncEntity e, const std::string& attribute) {
  const Mapping* m = mapping_for(kind);
  if (!m) return nullptr;
  const MappingRow* found = nullptr;
  for (const auto& row : *m) {
    if (row.entity != e || row.cairn != attribute) continue;
    // Several rows may fill one attribute (Autotask's phone slots); one one-way row makes it one-way.
    if (!found || row.direction == Direction::PsaToCairn) found = &row;
  }
  return found;
}

}  // namespace cairn::psa
