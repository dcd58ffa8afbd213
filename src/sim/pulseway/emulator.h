#pragma once
// The Pulseway PSA emulator: the Kaseya V2 platform emulator with Pulseway's profile
// (src/sim/pulseway/assumptions.h). Options must carry that profile: start from default_options().
#include "sim/bms/emulator.h"
#include "sim/pulseway/options.h"

namespace cairn::sim::pulseway {

class PulsewayEmulator final : public bms::BmsEmulator {
 public:
  PulsewayEmulator(World world, bms::Options options);
};

}  // namespace cairn::sim::pulseway
