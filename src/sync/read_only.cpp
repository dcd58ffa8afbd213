#include "sync/read_only.h"

#include "core/naming.h"
#include "psa/mappings.h"
#include "core/psa_capabilities.h"

namespace cairn::sync {

std::optional<std::string> read_only_reason(const std::string& kind, core::SyncEntity e, const std::string& attribute,
                                            bool two_way) {
  const psa::MappingRow* row = psa::mapped(kind, e, attribute);
  if (!row || row->direction == psa::Direction::CairnToPsaOnCreate) return std::nullopt;  // Cairn's own
  const auto* caps = core::capabilities_for(kind);
  const std::string psa = caps ? std::string(caps->display_name) : kind;
  const std::string name = core::kebab(attribute);
  if (row->direction == psa::Direction::PsaToCairn)
    return name + " comes from " + psa + " only (one-way, even with two-way sync on): change it in " + psa;
  if (!two_way)
    return name + " comes from " + psa + " and two-way sync is off: change it in " + psa +
           ", or turn two-way sync on for the integration";
  return std::nullopt;
}

}  // namespace cairn::sync
