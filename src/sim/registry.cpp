#include "sim/registry.h"

#include "sim/connectwise/emulator.h"

namespace cairn::sim {

namespace {

std::string setting(const Settings& s, const std::string& name, const std::string& fallback) {
  auto it = s.find(name);
  return it == s.end() ? fallback : it->second;
}

EmulatorKind connectwise_kind() {
  const connectwise::Options d;
  EmulatorKind k;
  k.name = "connectwise";
  k.settings = {
      {"company-id", d.company_id, "ConnectWise: the login company id"},
      {"public-key", d.public_key, "ConnectWise: the API member's public key"},
      {"private-key", d.private_key, "ConnectWise: the API member's private key"},
      {"client-id", d.client_id, "ConnectWise: the clientId header every request must carry"},
      {"codebase", d.codebase, "ConnectWise: the codebase companyinfo answers (path prefix of the API)"},
  };
  k.make = [](World world, const Settings& s) -> std::unique_ptr<Emulator> {
    connectwise::Options o;
    o.company_id = setting(s, "company-id", o.company_id);
    o.public_key = setting(s, "public-key", o.public_key);
    o.private_key = setting(s, "private-key", o.private_key);
    o.client_id = setting(s, "client-id", o.client_id);
    o.codebase = setting(s, "codebase", o.codebase);
    return std::make_unique<connectwise::ConnectWiseEmulator>(std::move(world), std::move(o));
  };
  return k;
}

}  // namespace

const std::vector<EmulatorKind>& emulator_kinds() {
  static const std::vector<EmulatorKind> kinds = {
      connectwise_kind(),
      {"autotask", {}, nullptr},
      {"bms", {}, nullptr},
      {"pulseway", {}, nullptr},
      {"tigerpaw", {}, nullptr},
  };
  return kinds;
}

std::variant<std::unique_ptr<Emulator>, std::string> make_emulator(const std::string& kind, World world,
                                                                   const Settings& settings) {
  std::string names;
  for (const auto& k : emulator_kinds()) {
    if (k.name == kind) {
      if (!k.make) return "the " + kind + " emulator is not available in this build yet";
      return k.make(std::move(world), settings);
    }
    names += (names.empty() ? "" : ", ") + k.name;
  }
  return "unknown PSA kind \"" + kind + "\" (known: " + names + ")";
}

}  // namespace cairn::sim
