#include "core/psa_capabilities.h"

#include <algorithm>

namespace cairn::core {



const std::vector<Capabilities>& all_capabilities() {
  static const std::vector<Capabilities> rows = [] {
    const std::vector<SyncEntity> everything = {SyncEntity::Organization, SyncEntity::Location, SyncEntity::Contact,
                                                SyncEntity::Configuration};
    std::vector<Capabilities> r;
    r.push_back({"connectwise", "ConnectWise Manage", everything, LocationSource::Records, true, true,
                 ChangeNotice::Callbacks, 1000, std::nullopt, "per integration (configurable rate)", "", ""});
    r.push_back({"autotask", "Autotask PSA", everything, LocationSource::Records, true, true, ChangeNotice::Webhooks, 500,
                 5000, "per integration (half of Autotask's 10,000 an hour)", "", ""});
    r.push_back({"bms", "Kaseya BMS", everything, LocationSource::Records, true, true, ChangeNotice::None, 100, 1500,
                 "per endpoint", "", ""});
    r.back().pushes_contact_lists = true;
    r.push_back({"pulseway", "Pulseway PSA", everything, LocationSource::Records, true, true, ChangeNotice::None, 100,
                 1500, "per endpoint", "", ""});
    r.back().pushes_contact_lists = true;
    r.push_back({"tigerpaw", "Tigerpaw", {SyncEntity::Organization, SyncEntity::Location, SyncEntity::Contact},
                 LocationSource::Derived, false, false, ChangeNotice::None, 100, std::nullopt,
                 "none published: Tigerpaw documents no request limit",
                 "Tigerpaw syncs one way only (PSA to Cairn)",
                 "Tigerpaw has no configuration sync: only accounts and active contacts sync, with locations made "
                 "from their addresses"});
    return r;
  }();
  return rows;
}

const Capabilities* capabilities_for(std::string_view kind) {
  for (const auto& c : all_capabilities())
    if (c.kind == kind) return &c;
  return nullptr;
}

bool syncs(const Capabilities& c, SyncEntity e) {
  return std::find(c.entities.begin(), c.entities.end(), e) != c.entities.end();
}

const char* to_string(LocationSource s) { return s == LocationSource::Records ? "records" : "derived"; }

const char* to_string(ChangeNotice n) {
  switch (n) {
    case ChangeNotice::None: return "none";
    case ChangeNotice::Callbacks: return "callbacks";
    case ChangeNotice::Webhooks: return "webhooks";
  }
  return "none";
}

}  // namespace cairn::core
