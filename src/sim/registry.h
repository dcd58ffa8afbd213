#pragma once
// The PSA kinds `cairn psa-sim --kind` knows, each with its settings (credentials and the like,
// offered as command-line flags) and a factory. A new emulator registers itself in registry.cpp.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sim/emulator.h"
#include "sim/world.h"

namespace cairn::sim {

struct EmulatorSetting {
  std::string name;  // flag name without dashes: "company-id"
  std::string default_value;
  std::string help;
};

using Settings = std::map<std::string, std::string>;  // name -> value; absent names take defaults

struct EmulatorKind {
  std::string name;  // "connectwise"
  std::vector<EmulatorSetting> settings;
  // Null while that PSA's emulator is not written yet.
  std::function<std::unique_ptr<Emulator>(World, const Settings&)> make;
};

const std::vector<EmulatorKind>& emulator_kinds();

// The emulator of `kind` over world, or a message saying why not (unknown kind, not built yet).
std::variant<std::unique_ptr<Emulator>, std::string> make_emulator(const std::string& kind, World world,
                                                                   const Settings& settings);

}  // namespace cairn::sim
