#pragma once
// A field value as Cairn's core passes it around: null, integer, boolean, text, or a list of
// child rows (a contact's emails and phones). Typed by the schema, not by the value.
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace cairn::core {

struct Value;
using Row = std::vector<Value>;
using Rows = std::vector<Row>;

struct Value {
  std::variant<std::monostate, std::int64_t, bool, std::string, std::shared_ptr<const Rows>> v;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(std::int64_t i) : v(i) {}
  Value(int i) : v(static_cast<std::int64_t>(i)) {}
  Value(bool b) : v(b) {}
  Value(std::string s) : v(std::move(s)) {}
  Value(const char* s) : v(std::string(s)) {}
  Value(Rows rows) : v(std::make_shared<const Rows>(std::move(rows))) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(v); }
  bool is_int() const { return std::holds_alternative<std::int64_t>(v); }
  bool is_bool() const { return std::holds_alternative<bool>(v); }
  bool is_string() const { return std::holds_alternative<std::string>(v); }
  bool is_rows() const { return std::holds_alternative<std::shared_ptr<const Rows>>(v); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v); }
  bool as_bool() const { return std::get<bool>(v); }
  const std::string& as_string() const { return std::get<std::string>(v); }
  const Rows& as_rows() const { return *std::get<std::shared_ptr<const Rows>>(v); }

  // Text form for audit rows and diffs; null is the empty optional's job, so "" here.
  std::string to_text() const;
  friend bool operator==(const Value& a, const Value& b);
};

}  // namespace cairn::core
