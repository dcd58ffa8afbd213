#include "core/json_text.h"

#include <cstdint>

#include "core/json_writer.h"

namespace cairn::core {

std::string json_object_of_texts(const std::vector<std::pair<std::string_view, std::string_view>>& members) {
  // Sorted by name through indexes (moving the texts cost more than writing them); stable, so that
  // of two members with one name the later one comes last and wins below. An insertion sort: a
  // record has a few dozen members, and std::stable_sort's buffer cost more than the sorting.
  std::vector<std::uint32_t> order(members.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    std::uint32_t k = i;
    for (; k > 0 && members[i].first < members[order[k - 1]].first; --k) order[k] = order[k - 1];
    order[k] = i;
  }
  std::string out;
  size_t size = 2;
  for (const auto& [name, text] : members) size += name.size() + text.size() + 6;
  out.reserve(size);
  out += '{';
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
