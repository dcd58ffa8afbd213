#include "sync/match_keys.h"

#include <cctype>
#include <map>
#include <stdexcept>

namespace cairn::sync {

using core::SyncEntity;

std::string MatchKey::describe() const {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " + ") + p.field + (p.only_if_both ? " (if both)" : "");
  return out;
}

namespace {

struct Table {
  std::map<std::pair<std::string, SyncEntity>, MatchKey> keys;
  Table() {
    const MatchKey org{{{"name"}}};
    const MatchKey contact{{{"organization_id"}, {"first_name"}, {"last_name"}}};
    // CWM, BMS and Pulseway: (company) + (type + name) + (serial + MAC, each only where both have one).
    const MatchKey config{{{"organization_id"}, {"configuration_type_id"}, {"name"},
                           {"serial_number", true}, {"mac_address", true}}};
    // Autotask has no MAC mapping (D5).
    const MatchKey at_config{{{"organization_id"}, {"configuration_type_id"}, {"name"}, {"serial_number", true}}};
    const MatchKey location{{{"organization_id"}, {"name"}, {"address_1"}, {"address_2"}, {"city"}, {"region_name"},
                             {"country_name"}}};
    // Tigerpaw's locations are derived and named after Address 1: §2.5 matches on the address alone.
    const MatchKey tp_location{{{"organization_id"}, {"address_1"}, {"address_2"}, {"city"}, {"region_name"},
                                {"country_name"}}};
    for (const char* kind : {"connectwise", "autotask", "bms", "pulseway", "tigerpaw"}) {
      keys[{kind, SyncEntity::Organization}] = org;
      keys[{kind, SyncEntity::Contact}] = contact;
      keys[{kind, SyncEntity::Configuration}] = std::string(kind) == "autotask" ? at_config : config;
      keys[{kind, SyncEntity::Location}] = std::string(kind) == "tigerpaw" ? tp_location : location;
    }
  }
};

}  // namespace

const MatchKey& match_key(const std::string& kind, SyncEntity entity) {
  static const Table t;
  auto it = t.keys.find({kind, entity});
  if (it == t.keys.end()) throw std::invalid_argument("no match key for PSA kind " + kind);
  return it->second;
}

std::string trimmed(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

std::string loose(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c) || c >= 0x80) out += static_cast<char>(std::tolower(c));
  return out;
}

std::string key_text(const core::Value& v) {
  if (v.is_null()) return {};
  if (v.is_string()) return trimmed(v.as_string());
  return v.to_text();
}

}  // namespace cairn::sync
