// Tigerpaw's advanced search body: structured parsing (valid and refused bodies), the matching
// rules of assumption P6, one-field search routes, and the StartRow / PageSize page window.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "sim/tigerpaw/paging.h"
#include "sim/tigerpaw/search.h"

using namespace cairn::sim::tigerpaw;
using nlohmann::json;

namespace {

Search parse_ok(const json& body, SearchEntity e = SearchEntity::Accounts) {
  auto r = parse_search(body, e);
  if (auto* err = std::get_if<SearchError>(&r)) ADD_FAILURE() << err->message << " for " << body.dump();
  return std::holds_alternative<Search>(r) ? std::get<Search>(r) : Search{};
}

std::string parse_error(const json& body, SearchEntity e = SearchEntity::Accounts) {
  auto r = parse_search(body, e);
  if (std::holds_alternative<Search>(r)) {
    ADD_FAILURE() << "accepted " << body.dump();
    return "";
  }
  return std::get<SearchError>(r).message;
}

json criteria(std::initializer_list<json> items) { return json{{"Criteria", json(items)}}; }

// A record as a map of SearchType -> values.
struct Record {
  std::map<SearchType, std::vector<std::string>> values;
  ValuesOf accessor() const {
    return [this](SearchType t, std::vector<std::string_view>& out) {
      auto it = values.find(t);
      if (it == values.end()) return;
      for (const auto& v : it->second) out.push_back(v);
    };
  }
};

}  // namespace

TEST(TigerpawSearchParse, ReadsKeysAndNamesIgnoringCaseWithStartsWithByDefault) {
  Search s = parse_ok({{"criteria", {{{"searchtype", "accountname"}, {"criteria", "Acme"}}}},
                       {"pagesize", 25},
                       {"STARTROW", "3"}});
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_EQ(s.groups[0][0].type, SearchType::AccountName);
  EXPECT_EQ(s.groups[0][0].match, MatchType::StartsWith);
  EXPECT_EQ(s.groups[0][0].text, "acme");
  EXPECT_EQ(s.page_size, 25);
  EXPECT_EQ(s.start_row, 3);
  Search d = parse_ok(criteria({{{"SearchType", "AccountNumber"}, {"MatchType", "greaterthan"}, {"Criteria", "0"}}}));
  EXPECT_EQ(d.groups[0][0].match, MatchType::GreaterThan);
  EXPECT_EQ(d.groups[0][0].number, 0);
  EXPECT_EQ(d.page_size, 0);  // not given: the server's default applies
  EXPECT_EQ(d.start_row, 1);
}

TEST(TigerpawSearchParse, GroupsCriteriaBySearchTypeAndKeysIgnoreTheirOrder) {
  json a = criteria({{{"SearchType", "AccountName"}, {"Criteria", "Acme"}},
                     {{"SearchType", "AccountStatus"}, {"MatchType", "Equal"}, {"Criteria", "Active"}},
                     {{"SearchType", "AccountName"}, {"Criteria", "Contoso"}}});
  json b = criteria({{{"SearchType", "AccountStatus"}, {"MatchType", "Equal"}, {"Criteria", "active"}},
                     {{"SearchType", "AccountName"}, {"Criteria", "ACME"}},
                     {{"SearchType", "AccountName"}, {"Criteria", "contoso"}}});
  Search s = parse_ok(a);
  ASSERT_EQ(s.groups.size(), 2u);
  EXPECT_EQ(s.groups[0].size(), 2u);  // both names in one ORed group
  EXPECT_EQ(s.key, parse_ok(b).key);
  EXPECT_NE(s.key, parse_ok(criteria({{{"SearchType", "AccountName"}, {"Criteria", "Acme"}}})).key);
}

TEST(TigerpawSearchParse, RefusesBadBodiesWithAMessage) {
  EXPECT_NE(parse_error(json::array()).find("AdvancedSearchRequest"), std::string::npos);
  EXPECT_NE(parse_error(json::object()).find("At least one"), std::string::npos);
  EXPECT_NE(parse_error({{"Criteria", json::array()}}).find("At least one"), std::string::npos);
  EXPECT_FALSE(parse_error({{"Criteria", "AccountName"}}).empty());
  EXPECT_FALSE(parse_error(criteria({"not an object"})).empty());
  EXPECT_NE(parse_error(criteria({{{"Criteria", "x"}}})).find("SearchType is required"), std::string::npos);
  EXPECT_NE(parse_error(criteria({{{"SearchType", "Colour"}, {"Criteria", "x"}}})).find("Invalid SearchType"),
            std::string::npos);
  // Valid in Tigerpaw, not modelled by the emulator: said so.
  EXPECT_NE(parse_error(criteria({{{"SearchType", "AccountNameSoundsLike"}, {"Criteria", "x"}}})).find("not supported"),
            std::string::npos);
  // Contact types are not account types and the reverse.
  EXPECT_FALSE(parse_error(criteria({{{"SearchType", "FirstName"}, {"Criteria", "x"}}})).empty());
  EXPECT_FALSE(parse_error(criteria({{{"SearchType", "AccountName"}, {"Criteria", "x"}}}), SearchEntity::Contacts).empty());
  EXPECT_NE(parse_error(criteria({{{"SearchType", "AccountName"}, {"MatchType", "Like"}, {"Criteria", "x"}}}))
                .find("Invalid MatchType"),
            std::string::npos);
  EXPECT_FALSE(parse_error(criteria({{{"SearchType", "AccountName"}}})).empty());  // no Criteria
  EXPECT_FALSE(parse_error(criteria({{{"SearchType", "AccountName"}, {"Criteria", {1, 2}}}})).empty());
  EXPECT_NE(parse_error(criteria({{{"SearchType", "AccountNumber"}, {"Criteria", "12a"}}})).find("account number"),
            std::string::npos);
  json paged = criteria({{{"SearchType", "AccountName"}, {"Criteria", "x"}}});
  paged["PageSize"] = 0;
  EXPECT_NE(parse_error(paged).find("PageSize"), std::string::npos);
  paged["PageSize"] = 10;
  paged["StartRow"] = "first";
  EXPECT_NE(parse_error(paged).find("StartRow"), std::string::npos);
  paged["StartRow"] = 1.5;
  EXPECT_FALSE(parse_error(paged).empty());
  EXPECT_FALSE(std::get<SearchError>(parse_search_text("{not json", SearchEntity::Accounts)).message.empty());
  // A hostile, huge body is refused, not walked.
  json many = json::array();
  for (int i = 0; i < 101; ++i) many.push_back({{"SearchType", "AccountName"}, {"Criteria", "x"}});
  EXPECT_FALSE(parse_error({{"Criteria", many}}).empty());
}

TEST(TigerpawSearchMatch, EachMatchTypeOnTextIgnoringCase) {
  Record r{{{SearchType::AccountName, {"Acme, Inc."}}}};
  auto m = [&](const char* match, const char* text) {
    return parse_ok(criteria({{{"SearchType", "AccountName"}, {"MatchType", match}, {"Criteria", text}}})).matches(r.accessor());
  };
  EXPECT_TRUE(m("StartsWith", "acme"));
  EXPECT_FALSE(m("StartsWith", "inc"));
  EXPECT_TRUE(m("EndsWith", "INC."));
  EXPECT_TRUE(m("Contains", ", i"));
  EXPECT_TRUE(m("Equal", "acme, inc."));
  EXPECT_FALSE(m("Equal", "acme inc"));  // a near miss stays a miss
  EXPECT_TRUE(m("GreaterThan", "abc"));
  EXPECT_FALSE(m("LessThan", "abc"));
  EXPECT_TRUE(m("LessThanEqual", "ACME, INC."));
  EXPECT_TRUE(m("GreaterThanEqual", "acme, inc."));
}

TEST(TigerpawSearchMatch, AccountNumbersCompareAsNumbersAndPhonesAsDigits) {
  Record r{{{SearchType::AccountNumber, {"120"}}, {SearchType::PhoneNumber, {"+1 (212) 555-0101", "+1 212 555 0199"}}}};
  auto m = [&](json c) { return parse_ok(criteria({c})).matches(r.accessor()); };
  EXPECT_TRUE(m({{"SearchType", "AccountNumber"}, {"MatchType", "GreaterThan"}, {"Criteria", "99"}}));  // not "99" > "120" as text
  EXPECT_FALSE(m({{"SearchType", "AccountNumber"}, {"MatchType", "LessThan"}, {"Criteria", 120}}));
  EXPECT_TRUE(m({{"SearchType", "AccountNumber"}, {"MatchType", "Equal"}, {"Criteria", 120}}));
  EXPECT_TRUE(m({{"SearchType", "PhoneNumber"}, {"MatchType", "Contains"}, {"Criteria", "212-555-0199"}}));  // any value
  EXPECT_FALSE(m({{"SearchType", "PhoneNumber"}, {"MatchType", "Equal"}, {"Criteria", "555"}}));
}

TEST(TigerpawSearchMatch, SameTypeIsOrDifferentTypesAreAndAbsentIsEmpty) {
  Record acme{{{SearchType::AccountName, {"Acme"}}, {SearchType::AccountStatus, {"Active"}}}};
  Record contoso{{{SearchType::AccountName, {"Contoso"}}, {SearchType::AccountStatus, {"Inactive"}}}};
  Search s = parse_ok(criteria({{{"SearchType", "AccountName"}, {"Criteria", "Acme"}},
                                {{"SearchType", "AccountName"}, {"Criteria", "Contoso"}},
                                {{"SearchType", "AccountStatus"}, {"MatchType", "Equal"}, {"Criteria", "Active"}}}));
  EXPECT_TRUE(s.matches(acme.accessor()));
  EXPECT_FALSE(s.matches(contoso.accessor()));
  // StartsWith "" matches records whose value is absent: the way to list every contact.
  Record nameless{{{SearchType::FirstName, {"Pat"}}}};
  EXPECT_TRUE(parse_ok(criteria({{{"SearchType", "LastName"}, {"Criteria", ""}}}), SearchEntity::Contacts)
                  .matches(nameless.accessor()));
  EXPECT_FALSE(parse_ok(criteria({{{"SearchType", "LastName"}, {"MatchType", "Equal"}, {"Criteria", "x"}}}),
                        SearchEntity::Contacts)
                   .matches(nameless.accessor()));
}

TEST(TigerpawSearchParse, OneFieldSearchRoutesNameTheirSearchType) {
  auto r = parse_field_search_text(R"({"Criteria":"acme","MatchType":"Contains","PageSize":5})", SearchEntity::Accounts,
                                   "Name");
  ASSERT_TRUE(std::holds_alternative<Search>(r)) << std::get<SearchError>(r).message;
  const Search& s = std::get<Search>(r);
  EXPECT_EQ(s.groups[0][0].type, SearchType::AccountName);
  EXPECT_EQ(s.groups[0][0].match, MatchType::Contains);
  EXPECT_EQ(s.page_size, 5);
  auto phone = parse_field_search_text(R"({"Criteria":"555"})", SearchEntity::Contacts, "phone");
  ASSERT_TRUE(std::holds_alternative<Search>(phone));
  EXPECT_EQ(std::get<Search>(phone).groups[0][0].type, SearchType::PhoneNumber);
  EXPECT_TRUE(std::holds_alternative<SearchError>(parse_field_search_text(R"({"Criteria":"x"})", SearchEntity::Contacts, "name")));
  EXPECT_TRUE(std::holds_alternative<SearchError>(parse_field_search_text("[]", SearchEntity::Accounts, "name")));
  EXPECT_TRUE(std::holds_alternative<SearchError>(parse_field_search_text("{}", SearchEntity::Accounts, "name")));
}

TEST(TigerpawPaging, StartRowIsOneBasedNextRowIsZeroAfterTheLastPage) {
  // 120 records, pages of 50: rows 1-50, 51-100, 101-120.
  PageWindow p = page_window(1, 50, 25, 100, 120);
  EXPECT_EQ(p.first, 0u);
  EXPECT_EQ(p.end, 50u);
  EXPECT_EQ(p.next_row, 51u);
  p = page_window(51, 50, 25, 100, 120);
  EXPECT_EQ(p.first, 50u);
  EXPECT_EQ(p.next_row, 101u);
  p = page_window(101, 50, 25, 100, 120);
  EXPECT_EQ(p.end - p.first, 20u);
  EXPECT_EQ(p.next_row, 0u);
  // Exactly full last page: no next row.
  EXPECT_EQ(page_window(71, 50, 25, 100, 120).next_row, 0u);
  // Past the end: an empty page.
  p = page_window(500, 50, 25, 100, 120);
  EXPECT_EQ(p.first, p.end);
  EXPECT_EQ(p.next_row, 0u);
}

TEST(TigerpawPaging, PageSizeDefaultsAndIsCappedAtTheMaximum) {
  EXPECT_EQ(page_window(1, 0, 25, 100, 1000).page_size, 25);
  EXPECT_EQ(page_window(1, 5000, 25, 100, 1000).page_size, 100);
  EXPECT_EQ(page_window(1, 5000, 25, 100, 1000).end, 100u);
  EXPECT_EQ(page_window(1, 7, 25, 100, 0).next_row, 0u);
}
