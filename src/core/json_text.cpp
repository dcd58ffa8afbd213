#include "core/json_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

namespace cairn::core {

void append_json_string(std::string& out, std::string_view text) {
  auto plain = [](unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; };
  size_t run = 0;
  while (run < text.size() && plain(static_cast<unsigned char>(text[run]))) ++run;
  out += '"';
  out.append(text.data(), run);  // most values are plain ASCII: one append
  if (run == text.size()) {
    out += '"';
    return;
  }
  if (std::any_of(text.begin() + static_cast<std::ptrdiff_t>(run), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    out.resize(out.size() - run - 1);  // the quote and the run, written again by nlohmann
    out += nlohmann::json(std::string(text)).dump();
    return;
  }
  static const char hex[] = "0123456789abcdef";
  for (char c : text.substr(run)) {
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
  // Sorted by name through indexes (moving the texts cost more than writing them); stable, so that
  // of two members with one name the later one comes last and wins below.
  std::vector<std::uint32_t> order(members.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return members[a].first < members[b].first; });
  std::string out = "{";
  size_t size = 2;
  for (const auto& [name, text] : members) size += name.size() + text.size() + 6;
  out.reserve(size);
  for (size_t k = 0; k < order.size(); ++k) {
    const auto& [name, text] = members[order[k]];
    if (k + 1 < order.size() && members[order[k + 1]].first == name) continue;
    if (out.size() > 1) out += ',';
    append_json_string(out, name);
    out += ':';
    append_json_string(out, text);
  }
  out += '}';
  return out;
}

}  // namespace cairn::core
