#pragma once
// Every connector's mapping table by PSA kind, for code that asks "is this attribute mapped?"
// without talking to the PSA (the API's read-only check, D15).
#include <string>

#include "psa/mapping.h"

namespace cairn::psa {

// The mapping of a PSA kind ("connectwise", "autotask"), or null when no connector is built for it.
const Mapping* mapping_for(const std::string& kind);

// How a Cairn attribute of an entity is mapped for a PSA kind, or null when it is Cairn's own.
const MappingRow* mapped(const std::string& kind, core::SyncEntity e, const std::string& attribute);

}  // namespace cairn::psa
