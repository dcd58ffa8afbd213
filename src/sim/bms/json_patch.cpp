#include "sim/bms/json_patch.h"

#include <charconv>
#include <vector>

#include "sim/bms/wire.h"

namespace cairn::sim::bms {

using nlohmann::json;

namespace {

// "/a/b~1c" -> {"a", "b/c"}; nullopt-like empty vector with ok=false on a bad pointer.
bool split_pointer(const std::string& path, std::vector<std::string>& out) {
  if (path.empty() || path[0] != '/') return false;
  std::string cur;
  for (std::size_t i = 1; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      out.push_back(cur);
      cur.clear();
    } else if (path[i] == '~' && i + 1 < path.size() && (path[i + 1] == '0' || path[i + 1] == '1')) {
      cur += path[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      cur += path[i];
    }
  }
  return !out.empty() && !out[0].empty();
}

bool parse_index(const std::string& s, std::size_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// The container the last segment refers into; sets key to the record's own spelling.
json* parent_of(json& doc, const std::vector<std::string>& segs, std::string& key) {
  json* cur = &doc;
  for (std::size_t i = 0; i + 1 < segs.size(); ++i) {
    if (cur->is_object()) {
      json* next = nullptr;
      for (auto it = cur->begin(); it != cur->end(); ++it)
        if (iequals(it.key(), segs[i])) next = &it.value();
      if (!next) return nullptr;
      cur = next;
    } else if (cur->is_array()) {
      std::size_t n = 0;
      if (!parse_index(segs[i], n) || n >= cur->size()) return nullptr;
      cur = &(*cur)[n];
    } else {
      return nullptr;
    }
  }
  key = segs.back();
  if (cur->is_object())
    for (auto it = cur->begin(); it != cur->end(); ++it)
      if (iequals(it.key(), key)) key = it.key();
  return cur;
}

}  // namespace

std::string apply_json_patch(json& doc, const json& ops) {
  if (!ops.is_array()) return "The PATCH body must be a JSON-Patch array of operations.";
  if (ops.empty()) return "The PATCH body has no operations.";
  for (const auto& op : ops) {
    const json* name = member(op, "op");
    const json* path = member(op, "path");
    if (!name || !name->is_string() || !path || !path->is_string())
      return "Every PATCH operation needs \"op\" and \"path\".";
    const std::string o = name->get<std::string>();
    const bool add = iequals(o, "add"), replace = iequals(o, "replace"), remove = iequals(o, "remove");
    if (!add && !replace && !remove) return "The PATCH operation '" + o + "' is not supported.";
    const json* value = member(op, "value");
    if (!remove && !value) return "The PATCH operation '" + o + "' needs a value.";
    std::vector<std::string> segs;
    if (!split_pointer(path->get<std::string>(), segs)) return "The PATCH path '" + path->get<std::string>() + "' is not valid.";
    std::string key;
    json* parent = parent_of(doc, segs, key);
    const std::string where = "The PATCH path '" + path->get<std::string>() + "' does not exist.";
    if (!parent) return where;
    if (parent->is_object()) {
      const bool exists = parent->contains(key);
      // Only the record's own fields: adding unknown members would be ignored silently.
      if (!exists) return where;
      if (remove) (*parent)[key] = nullptr;
      else (*parent)[key] = *value;
    } else if (parent->is_array()) {
      std::size_t n = 0;
      if (add && key == "-") {
        parent->push_back(*value);
      } else if (!parse_index(key, n) || n > parent->size() || (!add && n == parent->size())) {
        return where;
      } else if (add) {
        parent->insert(parent->begin() + static_cast<std::ptrdiff_t>(n), *value);
      } else if (replace) {
        (*parent)[n] = *value;
      } else {
        parent->erase(parent->begin() + static_cast<std::ptrdiff_t>(n));
      }
    } else {
      return where;
    }
  }
  return "";
}

}  // namespace cairn::sim::bms
