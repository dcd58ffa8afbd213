#pragma once
// Tigerpaw's advanced search body (psa-apis.md §5.2), parsed as structured JSON and compiled:
//   {"Criteria":[{"SearchType":"AccountName","MatchType":"StartsWith","Criteria":"Acme"}, …],
//    "PageSize":50, "StartRow":1}
// Criteria of one SearchType are ORed, of different SearchTypes ANDed. The semantics where
// Tigerpaw publishes none are assumption P6 (assumptions.h).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cairn::sim::tigerpaw {

enum class SearchEntity { Accounts, Contacts };

// The search types the emulator evaluates.
enum class SearchType {
  AccountName, AccountNumber, AccountId, AccountType, AccountStatus, Address, PostalCode, Email, PhoneNumber,
  ContactName, FirstName, LastName,
};

enum class MatchType { StartsWith, EndsWith, Contains, Equal, GreaterThan, GreaterThanEqual, LessThan, LessThanEqual };

struct Criterion {
  SearchType type = SearchType::AccountName;
  MatchType match = MatchType::StartsWith;
  std::string text;         // folded to lower case; digits only for PhoneNumber
  std::int64_t number = 0;  // AccountNumber
};

// Values of one record for one SearchType (several for Email, PhoneNumber, Address). Absent
// values may be left out: they read as "" (assumption P6). AccountNumber is given as decimal text.
using ValuesOf = std::function<void(SearchType, std::vector<std::string_view>& out)>;

struct Search {
  std::vector<std::vector<Criterion>> groups;  // one group per SearchType: ORed inside, ANDed across
  int page_size = 0;                           // as asked (0: not given)
  int start_row = 1;
  std::string key;  // canonical text of the criteria (not the paging): equal keys select equally

  bool matches(const ValuesOf& values) const;
};

struct SearchError {
  std::string message;
};

// `body` is the POST body; `entity` decides which SearchTypes are valid.
std::variant<Search, SearchError> parse_search(const nlohmann::json& body, SearchEntity entity);
std::variant<Search, SearchError> parse_search_text(std::string_view text, SearchEntity entity);
// A one-field search (POST /api/accounts/search/name): `type_segment` names the SearchType as the
// route does ("name", "accountnumber", "firstname", …); the body carries Criteria (a string),
// MatchType, PageSize and StartRow.
std::variant<Search, SearchError> parse_field_search_text(std::string_view text, SearchEntity entity,
                                                          std::string_view type_segment);

std::string_view to_string(SearchType t);

}  // namespace cairn::sim::tigerpaw
