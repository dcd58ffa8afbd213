#pragma once
// IT Glue answers kebab-case attribute names and accepts snake_case or kebab-case ones.
#include <string>
#include <string_view>

namespace cairn::core {

inline std::string kebab(std::string_view snake) {
  std::string out(snake);
  for (auto& c : out) if (c == '_') c = '-';
  return out;
}
inline std::string snake(std::string_view any) {
  std::string out(any);
  for (auto& c : out) if (c == '-') c = '_';
  return out;
}

}  // namespace cairn::core
