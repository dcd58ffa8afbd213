#pragma once
// A Pulseway PSA emulator's start options: the Kaseya V2 platform's (src/sim/bms/options.h) with
// Pulseway's profile and default credentials (docs/psa-sim.md).
#include "sim/bms/options.h"
#include "sim/pulseway/assumptions.h"

namespace cairn::sim::pulseway {

inline bms::Options default_options() {
  bms::Options o;
  o.profile.kind = "pulseway";
  o.profile.product = std::string(assumed::kProduct);
  o.profile.public_host = std::string(assumed::kPublicHost);
  o.profile.id_offset = assumed::kIdOffset;
  o.username = "cairn-api-employee";
  o.password = "SimPassword0002";
  o.tenant = "CairnSimPSA";
  return o;
}

}  // namespace cairn::sim::pulseway
