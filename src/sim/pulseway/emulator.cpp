#include "sim/pulseway/emulator.h"

#include <stdexcept>

namespace cairn::sim::pulseway {

namespace {
// The profile is what makes it Pulseway: refuse options that lost it rather than serve BMS.
bms::Options checked(bms::Options o) {
  if (o.profile.kind != "pulseway") throw std::invalid_argument("Pulseway options must start from default_options()");
  return o;
}
}  // namespace

PulsewayEmulator::PulsewayEmulator(World world, bms::Options options)
    : bms::BmsEmulator(std::move(world), checked(std::move(options))) {}

}  // namespace cairn::sim::pulseway
