#include "core/sync_settings.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace cairn::core {

std::string SyncSettings::to_json() const {
  nlohmann::json j;
  j["org_types"] = org_types;
  j["org_statuses"] = org_statuses;
  j["config_types"] = config_types;
  j["config_statuses"] = config_statuses;
  j["contacts_sync"] = contacts_sync;
  j["incremental_minutes"] = incremental_minutes;
  j["full_hours"] = full_hours;
  j["two_way"] = two_way;
  j["two_way_email_type"] = two_way_email_type;
  j["two_way_phone_type"] = two_way_phone_type;
  j["default_account_manager"] = default_account_manager;
  return j.dump();
}

SyncSettings SyncSettings::from_json(const std::string& text) {
  SyncSettings s;
  nlohmann::json j = nlohmann::json::parse(text.empty() ? "{}" : text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::invalid_argument("sync settings are not a JSON object");
  auto names = [&](const char* key, std::set<std::string>& out) {
    if (!j.contains(key)) return;
    if (!j[key].is_array()) throw std::invalid_argument(std::string(key) + " must be an array of names");
    for (const auto& v : j[key]) {
      if (!v.is_string()) throw std::invalid_argument(std::string(key) + " must hold strings");
      out.insert(v.get<std::string>());
    }
  };
  names("org_types", s.org_types);
  names("org_statuses", s.org_statuses);
  names("config_types", s.config_types);
  names("config_statuses", s.config_statuses);
  auto flag = [&](const char* key, bool& out) {
    if (!j.contains(key)) return;
    if (!j[key].is_boolean()) throw std::invalid_argument(std::string(key) + " must be true or false");
    out = j[key].get<bool>();
  };
  flag("contacts_sync", s.contacts_sync);
  flag("two_way", s.two_way);
  auto number = [&](const char* key, int& out, int lo, int hi) {
    if (!j.contains(key)) return;
    if (!j[key].is_number_integer() || j[key].get<int>() < lo || j[key].get<int>() > hi)
      throw std::invalid_argument(std::string(key) + " must be a whole number from " + std::to_string(lo) + " to " +
                                  std::to_string(hi));
    out = j[key].get<int>();
  };
  number("incremental_minutes", s.incremental_minutes, 1, 1440);
  number("full_hours", s.full_hours, 1, 168);
  auto text_member = [&](const char* key, std::string& out) {
    if (!j.contains(key)) return;
    if (!j[key].is_string()) throw std::invalid_argument(std::string(key) + " must be a string");
    out = j[key].get<std::string>();
  };
  text_member("two_way_email_type", s.two_way_email_type);
  text_member("two_way_phone_type", s.two_way_phone_type);
  text_member("default_account_manager", s.default_account_manager);
  return s;
}

}  // namespace cairn::core
