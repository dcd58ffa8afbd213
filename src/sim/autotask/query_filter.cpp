#include "sim/autotask/query_filter.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "sim/query_values.h"

namespace cairn::sim::autotask {

namespace {

using query::compare_num;
using query::json_number;
using query::Num;
using query::parse_datetime;
using query::parse_number_text;


using nlohmann::json;

// Bounds recursion on hostile bodies; real queries nest two or three groups.
constexpr std::size_t kMaxDepth = 32;
constexpr std::int64_t kMaxPage = 500;
// Messages echo user text; cap it so a huge field name does not come back whole.
constexpr std::size_t kMaxEcho = 60;

// ---------------------------------------------------------------------------------------------
// Text helpers (ASCII case folding: field names and operators are ASCII).

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string fold_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = fold(c);
  return out;
}

// `b` must already be folded.
bool ci_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (fold(a[i]) != b[i]) return false;
  return true;
}

// `b` must already be folded.
int ci_compare(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(fold(a[i]));
    const auto y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

// `needle` must already be folded.
bool ci_contains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (ci_equal(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

// Messages are sent inside JSON, which nlohmann will not dump with invalid UTF-8 in it.
std::string echo(std::string_view s) {
  std::string out;
  const std::size_t n = std::min(s.size(), kMaxEcho);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  if (s.size() > kMaxEcho) out += "...";
  return out;
}

// Numbers and instants are read by sim/query_values, shared with the ConnectWise emulator.
int three_way(std::int64_t a, std::int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

// ---------------------------------------------------------------------------------------------
// Compiled pieces.

enum class Op { Eq, NotEq, Gt, Gte, Lt, Lte, BeginsWith, EndsWith, Contains, Exist, NotExist, In, NotIn, And, Or };

struct OpName {
  std::string_view folded;
  std::string_view canonical;
  Op op;
};

constexpr std::array<OpName, 15> kOps = {{
    {"eq", "eq", Op::Eq},
    {"noteq", "noteq", Op::NotEq},
    {"gt", "gt", Op::Gt},
    {"gte", "gte", Op::Gte},
    {"lt", "lt", Op::Lt},
    {"lte", "lte", Op::Lte},
    {"beginswith", "beginsWith", Op::BeginsWith},
    {"endswith", "endsWith", Op::EndsWith},
    {"contains", "contains", Op::Contains},
    {"exist", "exist", Op::Exist},
    {"notexist", "notExist", Op::NotExist},
    {"in", "in", Op::In},
    {"notin", "notIn", Op::NotIn},
    {"and", "and", Op::And},
    {"or", "or", Op::Or},
}};

struct Value {
  std::string folded;                   // String: the text; Number: its JSON text (for contains & co.)
  std::optional<Num> number;            // Number, Bool as 1/0, or a String that reads as a number
  std::optional<std::int64_t> instant;  // a String that reads as a datetime
  std::optional<bool> boolean;          // Bool, or the String "true"/"false"
  bool is_string = false;
};

}  // namespace

struct Filter::Node {
  Op op = Op::And;
  std::string field;         // as written: tried first as an exact key
  std::string folded_field;  // for the case-insensitive fallback
  bool udf = false;
  std::vector<Value> values;  // one, or the in / notIn list
  std::vector<Node> items;    // and / or
};

namespace {

using Node = Filter::Node;

const json* find_ci(const json& obj, const std::string& name, std::string_view folded) {
  auto it = obj.find(name);
  if (it != obj.end()) return &*it;
  for (auto i = obj.begin(); i != obj.end(); ++i)
    if (ci_equal(i.key(), folded)) return &*i;
  return nullptr;
}

const std::string kUdfKey = "userDefinedFields";
const std::string kNameKey = "name";
const std::string kValueKey = "value";

const json* field_value(const json& record, const Node& n) {
  if (!record.is_object()) return nullptr;
  if (!n.udf) return find_ci(record, n.field, n.folded_field);
  const json* udfs = find_ci(record, kUdfKey, "userdefinedfields");
  if (udfs == nullptr || !udfs->is_array()) return nullptr;
  for (const auto& u : *udfs) {
    if (!u.is_object()) continue;
    const json* name = find_ci(u, kNameKey, "name");
    if (name != nullptr && name->is_string() && ci_equal(name->get_ref<const std::string&>(), n.folded_field))
      return find_ci(u, kValueKey, "value");
  }
  return nullptr;
}

// nullopt: not comparable (e.g. a string field against true).
std::optional<int> compare(const json& v, const Value& val) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (val.is_string) {
      if (val.instant)
        if (auto t = parse_datetime(s)) return three_way(*t, *val.instant);
      return ci_compare(s, val.folded);
    }
    if (val.boolean) {
      if (ci_equal(s, "true")) return three_way(1, *val.boolean ? 1 : 0);
      if (ci_equal(s, "false")) return three_way(0, *val.boolean ? 1 : 0);
      return std::nullopt;
    }
    if (val.number)
      if (auto n = parse_number_text(s)) return compare_num(*n, *val.number);
    return std::nullopt;
  }
  if (v.is_boolean()) {
    const int b = v.get<bool>() ? 1 : 0;
    if (val.boolean) return three_way(b, *val.boolean ? 1 : 0);
    if (val.number && val.number->is_int && (val.number->i == 0 || val.number->i == 1)) return three_way(b, val.number->i);
    return std::nullopt;
  }
  if (auto n = json_number(v))
    if (val.number) return compare_num(*n, *val.number);
  return std::nullopt;
}

bool equals(const json& v, const Value& val) {
  auto c = compare(v, val);
  return c && *c == 0;
}

// The string operators also see numbers as their text (phone numbers stored as numbers, ids).
std::optional<std::string_view> text_of(const json& v, std::string& buffer) {
  if (v.is_string()) return std::string_view(v.get_ref<const std::string&>());
  if (v.is_number()) {
    buffer = v.dump();
    return std::string_view(buffer);
  }
  return std::nullopt;
}

bool test(const Node& n, const json& v) {
  switch (n.op) {
    case Op::Eq: return equals(v, n.values[0]);
    case Op::NotEq: return !equals(v, n.values[0]);
    case Op::Gt: { auto c = compare(v, n.values[0]); return c && *c > 0; }
    case Op::Gte: { auto c = compare(v, n.values[0]); return c && *c >= 0; }
    case Op::Lt: { auto c = compare(v, n.values[0]); return c && *c < 0; }
    case Op::Lte: { auto c = compare(v, n.values[0]); return c && *c <= 0; }
    case Op::BeginsWith:
    case Op::EndsWith:
    case Op::Contains: {
      std::string buffer;
      auto t = text_of(v, buffer);
      if (!t) return false;
      const std::string& needle = n.values[0].folded;
      if (needle.size() > t->size()) return false;
      if (n.op == Op::BeginsWith) return ci_equal(t->substr(0, needle.size()), needle);
      if (n.op == Op::EndsWith) return ci_equal(t->substr(t->size() - needle.size()), needle);
      return ci_contains(*t, needle);
    }
    case Op::In:
    case Op::NotIn: {
      bool hit = false;
      for (const auto& val : n.values)
        if (equals(v, val)) {
          hit = true;
          break;
        }
      return n.op == Op::In ? hit : !hit;
    }
    case Op::Exist:
    case Op::NotExist:
    case Op::And:
    case Op::Or:
      break;
  }
  return false;
}

bool eval(const Node& n, const json& record) {
  switch (n.op) {
    case Op::And:
      for (const auto& i : n.items)
        if (!eval(i, record)) return false;
      return true;
    case Op::Or:
      for (const auto& i : n.items)
        if (eval(i, record)) return true;
      return false;
    case Op::Exist:
    case Op::NotExist: {
      const json* v = field_value(record, n);
      const bool exists = v != nullptr && !v->is_null();
      return n.op == Op::Exist ? exists : !exists;
    }
    default: {
      const json* v = field_value(record, n);
      return v != nullptr && !v->is_null() && test(n, *v);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Compilation of the body, with Autotask-style messages.

struct Failure {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw Failure{std::move(message)}; }

// Exact spelling first (the documented one), then any case.
const json* member(const json& obj, const std::string& canonical) {
  return find_ci(obj, canonical, fold_copy(canonical));
}

Value make_value(const json& v) {
  Value out;
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    out.is_string = true;
    out.folded = fold_copy(s);
    out.number = parse_number_text(s);
    out.instant = parse_datetime(s);
    if (out.folded == "true") out.boolean = true;
    if (out.folded == "false") out.boolean = false;
  } else if (v.is_boolean()) {
    out.boolean = v.get<bool>();
    out.number = Num{true, *out.boolean ? 1 : 0, 0};
    out.folded = *out.boolean ? "true" : "false";
  } else {
    out.number = json_number(v);
    out.folded = v.dump();
  }
  return out;
}

class Compiler {
 public:
  explicit Compiler(const ParseOptions& options) : options_(options) {}

  Node compile_item(const json& item, std::size_t depth) {
    if (depth > kMaxDepth) fail("The filter is nested too deeply (more than " + std::to_string(kMaxDepth) + " levels).");
    if (!item.is_object()) fail("Each filter item must be an object with an 'op' property.");
    const json* op = member(item, "op");
    if (op == nullptr || op->is_null()) fail("A filter item is missing the 'op' property.");
    if (!op->is_string()) fail("The 'op' property of a filter item must be a string.");
    const std::string folded_op = fold_copy(op->get_ref<const std::string&>());
    const OpName* found = nullptr;
    for (const auto& o : kOps)
      if (o.folded == folded_op) found = &o;
    if (found == nullptr)
      fail("Invalid filter operation '" + echo(op->get_ref<const std::string&>()) +
           "'. Valid operations are: eq, noteq, gt, gte, lt, lte, beginsWith, endsWith, contains, exist, notExist, "
           "in, notIn, and, or.");
    const std::string name(found->canonical);

    Node n;
    n.op = found->op;
    if (n.op == Op::And || n.op == Op::Or) {
      const json* items = member(item, "items");
      if (items == nullptr || !items->is_array() || items->empty())
        fail("The '" + name + "' filter requires a non-empty 'items' array.");
      for (const auto& child : *items) n.items.push_back(compile_item(child, depth + 1));
      return n;
    }

    const json* field = member(item, "field");
    if (field == nullptr || field->is_null()) fail("The '" + name + "' filter is missing the 'field' property.");
    if (!field->is_string()) fail("The 'field' property of the '" + name + "' filter must be a string.");
    n.field = field->get<std::string>();
    if (n.field.empty()) fail("The '" + name + "' filter is missing the 'field' property.");
    n.folded_field = fold_copy(n.field);
    const std::string where = "The '" + name + "' filter on field '" + echo(n.field) + "'";

    if (const json* udf = member(item, "udf"); udf != nullptr && !udf->is_null()) {
      if (!udf->is_boolean()) fail("The 'udf' property of the filter on field '" + echo(n.field) + "' must be true or false.");
      n.udf = udf->get<bool>();
    }
    if (!n.udf && options_.is_known_field && !options_.is_known_field(n.field))
      fail("Unable to find " + echo(n.field) + " in the " + options_.entity_name + " Entity");

    if (n.op == Op::Exist || n.op == Op::NotExist) return n;  // any value is ignored

    const json* value = member(item, "value");
    if (value == nullptr || value->is_null()) fail(where + " requires a value.");
    if (n.op == Op::In || n.op == Op::NotIn) {
      if (!value->is_array()) fail(where + " requires an array value.");
      if (value->empty()) fail(where + " requires at least one value.");
      for (const auto& e : *value) {
        if (!e.is_number() && !e.is_string()) fail(where + " may only list integers and strings.");
        n.values.push_back(make_value(e));
      }
      return n;
    }
    if (value->is_array() || value->is_object())
      fail(where + " requires a single value: an integer, a string, true or false.");
    const bool textual = n.op == Op::BeginsWith || n.op == Op::EndsWith || n.op == Op::Contains;
    if (textual && value->is_boolean()) fail(where + " requires a string value.");
    n.values.push_back(make_value(*value));
    return n;
  }

 private:
  const ParseOptions& options_;
};

Query compile_query(const json& body, const ParseOptions& options) {
  if (!body.is_object()) fail("The query must be a JSON object with a 'filter' array.");
  Query q;

  const json* filter = member(body, "filter");
  if (filter == nullptr || filter->is_null() || (filter->is_array() && filter->empty()))
    fail("The query requires at least one filter item.");
  if (!filter->is_array()) fail("The 'filter' property must be an array of filter items.");
  Compiler compiler(options);
  auto root = std::make_shared<Node>();
  root->op = Op::And;  // the top-level items are ANDed
  for (const auto& item : *filter) root->items.push_back(compiler.compile_item(item, 1));
  q.filter = Filter{std::move(root)};

  if (const json* include = member(body, "IncludeFields"); include != nullptr && !include->is_null()) {
    if (!include->is_array()) fail("IncludeFields must be an array of field names.");
    for (const auto& f : *include) {
      if (!f.is_string() || f.get_ref<const std::string&>().empty()) fail("IncludeFields must be an array of field names.");
      q.include_fields.push_back(f.get<std::string>());
    }
  }

  if (const json* max = member(body, "MaxRecords"); max != nullptr && !max->is_null()) {
    const auto n = max->is_number_integer() ? json_number(*max) : std::nullopt;
    if (!n || !n->is_int || n->i < 1 || n->i > kMaxPage) fail("MaxRecords must be an integer between 1 and 500.");
    q.max_records = static_cast<int>(n->i);
  }
  return q;
}

}  // namespace

// -----------------------------------------------------------------------------------------------

Filter::Filter() = default;
Filter::Filter(std::shared_ptr<const Node> root) : root_(std::move(root)) {}

bool Filter::matches(const nlohmann::json& record) const { return !root_ || eval(*root_, record); }

std::variant<Query, QueryError> parse_query(const nlohmann::json& body, const ParseOptions& options) {
  try {
    return compile_query(body, options);
  } catch (Failure& f) {
    return QueryError{std::move(f.message)};
  }
}

std::variant<Query, QueryError> parse_query_text(std::string_view json_text, const ParseOptions& options) {
  json body;
  try {
    body = json::parse(json_text.begin(), json_text.end());
  } catch (const json::parse_error& e) {
    return QueryError{"The query is not valid JSON (syntax error at byte " + std::to_string(e.byte) + ")."};
  } catch (const json::exception&) {
    return QueryError{"The query is not valid JSON."};
  }
  return parse_query(body, options);
}

nlohmann::json project_include_fields(const nlohmann::json& record, const std::vector<std::string>& include_fields) {
  if (include_fields.empty() || !record.is_object()) return record;
  std::vector<std::string> wanted;
  wanted.reserve(include_fields.size() + 1);
  wanted.emplace_back("id");
  for (const auto& f : include_fields) wanted.push_back(fold_copy(f));
  json out = json::object();
  for (auto it = record.begin(); it != record.end(); ++it)
    for (const auto& w : wanted)
      if (ci_equal(it.key(), w)) {
        out[it.key()] = it.value();
        break;
      }
  return out;
}

}  // namespace cairn::sim::autotask
