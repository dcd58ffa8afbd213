#include "sim/tigerpaw/kind.h"

#include <stdexcept>

#include "sim/tigerpaw/emulator.h"

namespace cairn::sim::tigerpaw {

namespace {

std::string setting(const Settings& s, const std::string& name, const std::string& fallback) {
  auto it = s.find(name);
  return it == s.end() ? fallback : it->second;
}

// Flags are validated as numbers here: a typo must not silently mean another limit.
int number(const Settings& s, const std::string& name, int fallback, int min) {
  const std::string v = setting(s, name, std::to_string(fallback));
  std::size_t used = 0;
  int n = 0;
  try {
    n = std::stoi(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (v.empty() || used != v.size() || n < min)
    throw std::invalid_argument("--" + name + " must be an integer of at least " + std::to_string(min));
  return n;
}

}  // namespace

EmulatorKind tigerpaw_kind() {
  const Options d;
  EmulatorKind k;
  k.name = "tigerpaw";
  k.settings = {
      {"tsi-public-key", d.public_key, "Tigerpaw: the rep's REST API public key (a GUID)"},
      {"tsi-private-key", d.private_key, "Tigerpaw: the rep's REST API private key (signs requests)"},
      {"max-page-size", std::to_string(d.max_page_size), "Tigerpaw: the largest PageSize a search honours"},
      {"clock-skew-seconds", std::to_string(d.clock_skew_seconds),
       "Tigerpaw: how far X-TSI-Date may be from the server's clock"},
  };
  k.make = [](World world, const Settings& s) -> std::unique_ptr<Emulator> {
    Options o;
    o.public_key = setting(s, "tsi-public-key", o.public_key);
    o.private_key = setting(s, "tsi-private-key", o.private_key);
    if (o.public_key.empty() || o.private_key.empty())
      throw std::invalid_argument("--tsi-public-key and --tsi-private-key must not be empty");
    o.max_page_size = number(s, "max-page-size", o.max_page_size, 1);
    o.clock_skew_seconds = number(s, "clock-skew-seconds", o.clock_skew_seconds, 0);
    return std::make_unique<TigerpawEmulator>(std::move(world), std::move(o));
  };
  return k;
}

}  // namespace cairn::sim::tigerpaw
