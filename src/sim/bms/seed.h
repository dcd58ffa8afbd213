#pragma once
// The PSA-neutral World converted into Kaseya V2 records (psa-apis.md §3.4): accounts with their
// locations, contacts with e-mails and phones, hardware assets, and the picklists (B12-B15).
#include "sim/bms/records.h"
#include "sim/world.h"

namespace cairn::sim::bms {

// Record ids are the world's plus id_offset (lookup ids are not offset).
Store seed_store(const World& world, std::int64_t id_offset);

}  // namespace cairn::sim::bms
