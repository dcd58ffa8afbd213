#pragma once
// `cairn psa-sim --kind tigerpaw`: its settings (command-line flags with defaults) and factory,
// registered in sim/registry.cpp.
#include "sim/registry.h"

namespace cairn::sim::tigerpaw {

EmulatorKind tigerpaw_kind();

}  // namespace cairn::sim::tigerpaw
