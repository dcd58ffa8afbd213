#pragma once
// The Autotask REST query body as the emulator understands it (psa-apis.md §2.4):
//   {"filter":[{"op":"eq","field":"companyName","value":"Acme"}, ...],
//    "IncludeFields":["id","companyName"], "MaxRecords":500}
// Top-level keys, item keys and operator names are read case-insensitively, as Autotask's
// .NET deserializer does.
//
// Semantics chosen where Autotask publishes none (it runs on SQL Server with a
// case-insensitive collation, so the emulator behaves like that database would):
// - every string comparison ignores ASCII case: eq, noteq, in, notIn, the orderings, beginsWith,
//   endsWith and contains;
// - a comparison against a missing or null field is false, including noteq and notIn;
//   only exist / notExist test for it (null counts as not existing);
// - a string value and a string field that both read as ISO-8601 datetimes compare as instants
//   (no zone means UTC); numbers compare numerically, also against numeric text (UDF values
//   are text); true/false compare with 1/0 (Contact.isActive is an integer, Company.isActive a bool).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cairn::sim::autotask {

// The emulator answers this as HTTP 500 {"errors":[message]}.
struct QueryError {
  std::string message;
};

// A compiled filter. Immutable and cheap to copy (shared).
class Filter {
 public:
  struct Node;  // defined in query_filter.cpp

  Filter();  // matches every record
  explicit Filter(std::shared_ptr<const Node> root);

  bool matches(const nlohmann::json& record) const;

 private:
  std::shared_ptr<const Node> root_;
};

struct Query {
  Filter filter;
  std::vector<std::string> include_fields;  // empty: all fields
  int max_records = 500;                    // page size, 1..500
};

struct ParseOptions {
  // When set, a filter on a (non-UDF) field this returns false for is rejected with Autotask's
  // "Unable to find {field} in the {entity_name} Entity".
  std::function<bool(std::string_view field)> is_known_field;
  std::string entity_name;
};

// `body` is the parsed POST body (or the decoded `search` parameter of the GET form).
std::variant<Query, QueryError> parse_query(const nlohmann::json& body, const ParseOptions& options = {});
// The same from JSON text; text that is not JSON is a QueryError too.
std::variant<Query, QueryError> parse_query_text(std::string_view json_text, const ParseOptions& options = {});

// The record reduced to `include_fields` (names matched case-insensitively, spelled as the record
// spells them); `id` is always kept. Empty `include_fields` returns the whole record.
nlohmann::json project_include_fields(const nlohmann::json& record, const std::vector<std::string>& include_fields);

}  // namespace cairn::sim::autotask
