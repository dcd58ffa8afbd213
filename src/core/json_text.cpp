#include "core/json_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cairn::core {

void append_json_string(std::string& out, std::string_view text) {
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    out += nlohmann::json(std::string(text)).dump();
    return;
  }
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += hex[(c >> 4) & 0xf];
          out += hex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string json_object_of_texts(std::vector<std::pair<std::string_view, std::string>> members) {
  // Stable, so that of two members with one name the later one is last and wins below.
  std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out = "{";
  for (size_t i = 0; i < members.size(); ++i) {
    if (i + 1 < members.size() && members[i + 1].first == members[i].first) continue;
    if (out.size() > 1) out += ',';
    append_json_string(out, members[i].first);
    out += ':';
    append_json_string(out, members[i].second);
  }
  out += '}';
  return out;
}

}  // namespace cairn::core
