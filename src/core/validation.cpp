#include "core/validation.h"

#include <arpa/inet.h>

#include "core/time.h"

namespace cairn::core {

bool is_ip_address(const std::string& s) {
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool is_email(const std::string& s) {
  auto at = s.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= s.size() || s.find('@', at + 1) != std::string::npos) return false;
  for (char c : s)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';') return false;
  return s.find('.', at) != std::string::npos;
}

std::string strip_phone_separators(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.' && c != '/') out += c;
  return out;
}

std::optional<std::string> check_value(const Field& f, const Value& v) {
  if (v.is_null()) {
    if (f.required) return "can't be blank";
    return std::nullopt;
  }
  switch (f.type) {
    case FieldType::Integer:
    case FieldType::Reference:
      if (!v.is_int()) return "must be an integer";
      if (f.type == FieldType::Reference && v.as_int() <= 0) return "must be a positive id";
      return std::nullopt;
    case FieldType::Boolean:
      if (!v.is_bool()) return "must be true or false";
      return std::nullopt;
    case FieldType::Rows:
      if (!v.is_rows()) return "must be an array";
      return std::nullopt;
    default:
      break;
  }
  if (!v.is_string()) return "must be a string";
  const std::string& s = v.as_string();
  if (f.required && s.empty()) return "can't be blank";
  if (f.max_length && s.size() > f.max_length)
    return "is too long (maximum is " + std::to_string(f.max_length) + " characters)";
  if (!f.allowed.empty() && !s.empty()) {
    bool ok = false;
    std::string list;
    for (const auto& a : f.allowed) {
      ok = ok || a == s;
      list += (list.empty() ? "" : ", ") + a;
    }
    if (!ok) return "must be one of: " + list;
  }
  if (s.empty()) return std::nullopt;
  switch (f.type) {
    case FieldType::Date:
      if (!is_date(s)) return "must be a date (YYYY-MM-DD)";
      break;
    case FieldType::DateTime:
      if (!parse_datetime(s)) return "must be an RFC 3339 date-time";
      break;
    case FieldType::Ip:
      if (!is_ip_address(s)) return "must be an IPv4 or IPv6 address";
      break;
    case FieldType::Email:
      if (!is_email(s)) return "must be a valid email address";
      break;
    default:
      break;
  }
  return std::nullopt;
}

Value normalize_value(const Field& f, Value v) {
  if (v.is_null() && !f.default_text.empty()) return Value(f.default_text);
  if (!v.is_string()) return v;
  if (f.type == FieldType::Phone) return Value(strip_phone_separators(v.as_string()));
  if (v.as_string().empty() && !f.default_text.empty()) return Value(f.default_text);
  return v;
}

}  // namespace cairn::core
