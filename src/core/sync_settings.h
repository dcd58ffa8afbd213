#pragma once
// An integration's sync settings (R1, R4, D11, D13): which PSA types and statuses sync, whether
// contacts sync, the schedule, and two-way. Stored as JSON in integrations.settings.
#include <set>
#include <string>

namespace cairn::core {

struct SyncSettings {
  std::set<std::string> org_types;       // enabled, by the PSA's name
  std::set<std::string> org_statuses;
  std::set<std::string> config_types;
  std::set<std::string> config_statuses;
  bool contacts_sync = false;
  int incremental_minutes = 5;
  int full_hours = 4;
  bool two_way = false;
  std::string two_way_email_type;  // R16: the PSA email type for contacts created in Cairn
  std::string two_way_phone_type;
  std::string default_account_manager;  // Autotask: owner of companies Cairn creates

  std::string to_json() const;
  // Throws std::invalid_argument naming the bad member.
  static SyncSettings from_json(const std::string& text);
};

}  // namespace cairn::core
