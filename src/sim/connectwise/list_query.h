#pragma once
// A ConnectWise list request's query parameters, parsed once: conditions, childConditions,
// customFieldConditions, orderBy, fields, page/pageSize, pageId and forward-only paging
// (psa-apis.md §1.4-1.5). The parsers are conditions.h's; this adds the fast path.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/connectwise/conditions.h"

namespace cairn::sim::connectwise {

// One `field op literal` term of a top-level AND that can be checked on a record's struct:
// id, lastUpdated (= _info/lastUpdated), reference ids (type/id, company/id, ...) and flags.
struct FastTerm {
  enum class Op { Eq, Ne, Lt, Le, Gt, Ge, In, NotIn };
  enum class Literal { Integer, Boolean, Datetime };
  std::string path;  // folded to lower case: "id", "lastupdated", "company/id", "inactiveflag"
  Op op = Op::Eq;
  Literal literal = Literal::Integer;
  std::vector<std::int64_t> values;  // datetimes in milliseconds; booleans 0/1
};

// The terms of `conditions` that are joined to the rest by a top-level AND, so a record that
// fails one fails the whole condition. `complete` is true when these terms are the whole
// condition (then no JSON needs building).
struct FastFilter {
  std::vector<FastTerm> terms;
  bool complete = true;
};

// Never fails: what it cannot read is left to the full evaluator (complete = false).
FastFilter analyse_conditions(std::string_view text);

bool compare_fast(FastTerm::Op op, std::int64_t value, const std::vector<std::int64_t>& literals);

struct ListQuery {
  Condition conditions;
  bool has_conditions = false;
  FastFilter fast;
  Condition child_conditions;
  bool has_child_conditions = false;
  bool has_custom_field_conditions = false;
  OrderBy order_by;
  // orderBy that is empty or only "id asc|desc" needs no JSON.
  bool order_by_id = true;
  bool descending = false;
  FieldSelection fields;
  std::int64_t page = 1;
  std::int64_t page_size = 25;
  std::optional<std::int64_t> page_id;
  bool forward_only = false;
};

// Parameters by name (decoded values; the first value of each wins) and whether the
// forward-only header was sent. Returns the message for a 400 InvalidObject on bad input.
struct QueryInput {
  std::string conditions, child_conditions, custom_field_conditions, order_by, fields, page, page_size, page_id;
  bool forward_only_header = false;
};
std::variant<ListQuery, std::string> parse_list_query(const QueryInput& in);

}  // namespace cairn::sim::connectwise
