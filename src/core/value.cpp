#include "core/value.h"

namespace cairn::core {

std::string Value::to_text() const {
  if (is_int()) return std::to_string(as_int());
  if (is_bool()) return as_bool() ? "true" : "false";
  if (is_string()) return as_string();
  if (is_rows()) {
    std::string out = "[";
    for (const auto& row : as_rows()) {
      if (out.size() > 1) out += "; ";
      std::string cells;
      for (const auto& cell : row) {
        if (!cells.empty()) cells += ",";
        cells += cell.to_text();
      }
      out += cells;
    }
    return out + "]";
  }
  return {};
}

bool operator==(const Value& a, const Value& b) {
  if (a.v.index() != b.v.index()) return false;
  if (a.is_rows()) return a.as_rows() == b.as_rows();
  return a.v == b.v;
}

}  // namespace cairn::core
