#pragma once
// ConnectWise Manage query parameters as the emulator understands them: `conditions`
// (also usable for `childConditions` and, evaluated per element of `customFields`,
// `customFieldConditions`), `orderBy` and `fields`. Spec: psa-apis.md §1.4.
//
// Semantics chosen where ConnectWise publishes none (ConnectWise runs on SQL Server with a
// case-insensitive collation, so the emulator behaves like that database would):
// - string comparisons (=, !=, <, ..., contains, like, in) ignore ASCII case;
// - a comparison against a missing or null value is false, including !=, not like,
//   not contains and not in (SQL's NULL never compares); only `= null` / `!= null` test for it;
// - `not (...)` is plain boolean negation of the expression it prefixes;
// - where a path crosses an array (`types/id = 5`), the comparison holds if any element's
//   value satisfies it (an EXISTS over the child rows), also for the negative operators;
// - a string literal that is a number or an ISO-8601 datetime also compares numerically or
//   as an instant against numeric / datetime fields (SQL Server converts implicitly);
// - datetimes without a zone are UTC.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cairn::sim::connectwise {

struct ConditionError {
  std::string message;    // e.g. "Expected value after operator '=' at position 12"
  std::size_t position{}; // 0-based byte offset into the parsed text (also in the message)
};

// A compiled `conditions` expression. Immutable and cheap to copy (shared), so one parse can be
// evaluated from many threads.
class Condition {
 public:
  struct Node;  // defined in conditions.cpp

  Condition();  // matches every record (what an absent or blank `conditions` means)
  explicit Condition(std::shared_ptr<const Node> root);

  bool matches(const nlohmann::json& record) const;

 private:
  std::shared_ptr<const Node> root_;
};

// Blank text (only whitespace) yields a Condition that matches everything.
std::variant<Condition, ConditionError> parse_conditions(std::string_view text);

// A compiled `orderBy` (`name asc, id desc`; direction defaults to asc). operator() is a strict
// weak ordering ("a sorts before b"), usable with std::stable_sort. Nulls and missing values sort
// first ascending (last descending), then booleans, numbers, strings (case-insensitive).
class OrderBy {
 public:
  struct Key;  // defined in conditions.cpp

  OrderBy();  // no keys: every pair compares equal
  explicit OrderBy(std::shared_ptr<const std::vector<Key>> keys);

  bool operator()(const nlohmann::json& a, const nlohmann::json& b) const;
  // <0, 0 or >0, as a before, tied with, or after b.
  int compare(const nlohmann::json& a, const nlohmann::json& b) const;
  bool empty() const;

 private:
  std::shared_ptr<const std::vector<Key>> keys_;
};

// Blank text yields an empty OrderBy.
std::variant<OrderBy, ConditionError> parse_order_by(std::string_view text);

// A compiled `fields` list (`id,name,_info/lastUpdated`). operator() returns a copy of the record
// holding only those (nested) fields, spelled as the record spells them; fields the record lacks
// are left out. A path through an array projects every object element.
class FieldSelection {
 public:
  struct Field;  // defined in conditions.cpp

  FieldSelection();  // keeps everything
  explicit FieldSelection(std::shared_ptr<const std::vector<Field>> fields);

  nlohmann::json operator()(const nlohmann::json& record) const;
  // The same projection over a record's JSON text, for list pages: parsing with simdjson and
  // copying the kept members as text costs a fraction of building and dumping a DOM.
  std::string operator()(std::string_view record_json) const;
  bool keeps_everything() const;

 private:
  std::shared_ptr<const std::vector<Field>> fields_;
};

// Blank text yields a FieldSelection that keeps everything.
std::variant<FieldSelection, ConditionError> parse_fields(std::string_view text);

}  // namespace cairn::sim::connectwise
