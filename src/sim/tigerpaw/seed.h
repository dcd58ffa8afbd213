#pragma once
// The PSA-neutral World as Tigerpaw records (assumption P15): accounts and contacts only —
// Tigerpaw has no configurations or sites in Cairn's scope; a contact's address is its site's.
#include "sim/tigerpaw/records.h"
#include "sim/world.h"

namespace cairn::sim::tigerpaw {

Store seed_store(const World& world);

}  // namespace cairn::sim::tigerpaw
