#include "sim/connectwise/patch.h"

#include <charconv>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace cairn::sim::connectwise {

namespace {

using nlohmann::json;

bool ci_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// The object's own spelling of key (exact first, then ignoring case), or key itself.
std::string key_in(const json& obj, const std::string& key) {
  if (obj.contains(key)) return key;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (ci_equal(it.key(), key)) return it.key();
  return key;
}

bool index_of(const std::string& s, std::size_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string apply_one(json& doc, const json& op) {
  if (!op.is_object()) return "each operation must be an object";
  const auto op_it = op.find("op");
  const auto path_it = op.find("path");
  if (op_it == op.end() || !op_it->is_string()) return "op is required (replace, add or remove)";
  if (path_it == op.end() || !path_it->is_string() || path_it->get<std::string>().empty()) return "path is required";
  std::string kind = op_it->get<std::string>();
  for (auto& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (kind != "replace" && kind != "add" && kind != "remove") return "op must be replace, add or remove, not " + kind;
  if (kind != "remove" && !op.contains("value")) return "value is required for " + kind;
  std::vector<std::string> parts;
  const std::string path = path_it->get<std::string>();
  std::size_t i = path.front() == '/' ? 1 : 0;
  while (i <= path.size()) {
    const std::size_t j = std::min(path.find('/', i), path.size());
    parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  json* node = &doc;
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
    if (node->is_object()) {
      const std::string key = key_in(*node, parts[k]);
      if (!node->contains(key) || (*node)[key].is_null()) (*node)[key] = json::object();  // references left out as null
      node = &(*node)[key];
    } else if (node->is_array()) {
      std::size_t n = 0;
      if (!index_of(parts[k], n) || n >= node->size()) return "path " + path + ": no element " + parts[k];
      node = &(*node)[n];
    } else {
      return "path " + path + " goes through a value that is not an object or array";
    }
  }
  const std::string& last = parts.back();
  if (node->is_object()) {
    const std::string key = key_in(*node, last);
    if (kind == "remove") node->erase(key);
    else (*node)[key] = op["value"];
    return "";
  }
  if (node->is_array()) {
    std::size_t n = 0;
    const bool append = last == "-";
    if (!append && (!index_of(last, n) || n > node->size())) return "path " + path + ": no element " + last;
    if (kind == "add") {
      node->insert(append ? node->end() : node->begin() + static_cast<std::ptrdiff_t>(n), op["value"]);
    } else {
      if (append || n >= node->size()) return "path " + path + ": no element " + last;
      if (kind == "remove") node->erase(static_cast<std::size_t>(n));
      else (*node)[n] = op["value"];
    }
    return "";
  }
  return "path " + path + " goes through a value that is not an object or array";
}

}  // namespace

std::string apply_patch(json& doc, const json& ops) {
  if (!ops.is_array()) return "the PATCH body must be an array of operations like [{\"op\":\"replace\",\"path\":\"name\",\"value\":\"x\"}]";
  for (std::size_t i = 0; i < ops.size(); ++i)
    if (auto err = apply_one(doc, ops[i]); !err.empty()) return "operation " + std::to_string(i) + ": " + err;
  return "";
}

}  // namespace cairn::sim::connectwise
