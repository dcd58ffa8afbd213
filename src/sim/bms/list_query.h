#pragma once
// The query string of a Kaseya V2 list (psa-apis.md §3.2-3.3), parsed into typed terms:
//   PageNumber=N & PageSize=N & Filter.<Name>=<value> ...   (and a few bare lookup parameters
//   such as Ids, Name, WithInactiveAccounts)
// Each list declares the filters it takes and their value grammar:
//   Id       positive integer
//   IdList   positive integers separated by commas; the parameter may repeat ("1,2" or "1&…=2")
//   Bool     true | false (any case)
//   Text     any text; matches a case-insensitive substring
//   DateFrom, DateTo  ISO-8601 date or date-time (no zone = UTC); inclusive bounds
// Parameter names are read case-insensitively. An unknown Filter.<Name> or a value outside its
// grammar is a QueryError (400 in the envelope); other unknown parameters are ignored (B10).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cairn::sim::bms {

enum class FilterKind { Id, IdList, Bool, Text, DateFrom, DateTo };

struct FilterSpec {
  std::string param;  // as a client sends it: "Filter.ModifiedOnFrom", "Ids"
  FilterKind kind = FilterKind::Text;
  int key = 0;  // what the list evaluating the term switches on
};

struct FilterTerm {
  const FilterSpec* spec = nullptr;
  std::vector<std::int64_t> ids;  // Id (one), IdList
  bool flag = false;              // Bool
  std::string text;               // Text, lowercased
  std::int64_t seconds = 0;       // DateFrom: first second included; DateTo: last second included
};

struct PagingRules {
  bool paged = true;      // false: PageNumber/PageSize are ignored and every row is answered
  int default_size = 100;
  int max_size = 100;     // larger PageSize values are capped to this
};

struct ListQuery {
  int page_number = 1;
  int page_size = 100;  // 0 when not paged
  std::vector<FilterTerm> terms;  // ANDed
  // The terms in a stable text form: two queries with the same key select the same rows.
  std::string key() const;
};

struct QueryError {
  std::string message;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

std::variant<ListQuery, QueryError> parse_list_query(const QueryParams& params, const std::vector<FilterSpec>& specs,
                                                     const PagingRules& rules);

// Case-insensitive substring test; needle_lower must already be lowercase.
bool contains_folded(std::string_view haystack, std::string_view needle_lower);

}  // namespace cairn::sim::bms
