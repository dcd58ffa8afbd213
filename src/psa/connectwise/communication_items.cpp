#include "psa/connectwise/communication_items.h"

#include <string>

namespace cairn::psa::connectwise {

using nlohmann::json;

namespace {

std::string text(const json& item, const char* key) {
  auto it = item.find(key);
  return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_default(const json& item) {
  auto it = item.find("defaultFlag");
  return it != item.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

json communication_operations(const json& current, const json& wanted) {
  json ops = json::array();
  if (!wanted.is_array()) return ops;
  for (const auto& want : wanted) {
    const std::string kind = text(want, "communicationType");
    // The contact's default item of this kind, else its first of this kind with the same value.
    std::size_t at = current.is_array() ? current.size() : 0, same_value = at;
    if (current.is_array())
      for (std::size_t i = 0; i < current.size(); ++i) {
        if (text(current[i], "communicationType") != kind) continue;
        if (is_default(current[i])) {
          at = i;
          break;
        }
        if (same_value == current.size() && text(current[i], "value") == text(want, "value")) same_value = i;
      }
    if (current.is_array() && at == current.size()) at = same_value;
    if (!current.is_array() || at == current.size()) {
      ops.push_back({{"op", "add"}, {"path", "/communicationItems/-"}, {"value", want}});
      continue;
    }
    const std::string base = "/communicationItems/" + std::to_string(at) + "/";
    if (text(current[at], "value") != text(want, "value"))
      ops.push_back({{"op", "replace"}, {"path", base + "value"}, {"value", want.value("value", "")}});
    if (kind != "Email" && text(current[at], "extension") != text(want, "extension"))
      ops.push_back({{"op", "replace"}, {"path", base + "extension"}, {"value", text(want, "extension")}});
    if (!is_default(current[at]) && is_default(want))
      ops.push_back({{"op", "replace"}, {"path", base + "defaultFlag"}, {"value", true}});
  }
  return ops;
}

}  // namespace cairn::psa::connectwise
