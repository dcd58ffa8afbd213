#include "core/json_text.h"

#include <algorithm>
#include <cstdint>

#include "core/json_writer.h"

namespace cairn::core {

std::string json_object_of_texts(const std::vector<std::pair<std::string_view, std::string_view>>& members) {
  // Sorted by name through indexes (moving the texts cost more than writing them); stable, so that
  // of two members with one name the later one comes last and wins below.
  std::vector<std::uint32_t> order(members.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return members[a].first < members[b].first; });
  std::string out;
  size_t size = 2;
  for (const auto& [name, text] : members) size += name.size() + text.size() + 6;
  out.reserve(size);
  JsonWriter w(out);
  w.begin_object();
  for (size_t k = 0; k < order.size(); ++k) {
    const auto& [name, text] = members[order[k]];
    if (k + 1 < order.size() && members[order[k + 1]].first == name) continue;
    w.key(name).value(text);
  }
  w.end_object();
  return out;
}

}  // namespace cairn::core
