// The Kaseya V2 list query grammar (PageNumber/PageSize and Filter.X parameters) shared by the
// BMS and Pulseway emulators: valid and invalid queries, and each paging mode.
#include <gtest/gtest.h>

#include "sim/bms/list_query.h"

using namespace cairn::sim::bms;

namespace {

enum { From = 1, To, Name, Ids, Active, One };

const std::vector<FilterSpec> kSpecs = {{"Filter.ModifiedOnFrom", FilterKind::DateFrom, From},
                                        {"Filter.ModifiedOnTo", FilterKind::DateTo, To},
                                        {"Filter.AccountName", FilterKind::Text, Name},
                                        {"Filter.CategoryIds", FilterKind::IdList, Ids},
                                        {"Filter.IsActive", FilterKind::Bool, Active},
                                        {"Filter.AccountId", FilterKind::Id, One}};
const PagingRules kPaged{true, 100, 100};
const PagingRules kUnpaged{false, 100, 100};

ListQuery ok(const QueryParams& p, const PagingRules& rules = kPaged) {
  auto r = parse_list_query(p, kSpecs, rules);
  if (auto* e = std::get_if<QueryError>(&r)) {
    ADD_FAILURE() << e->message;
    return {};
  }
  return std::get<ListQuery>(r);
}

std::string error(const QueryParams& p, const PagingRules& rules = kPaged) {
  auto r = parse_list_query(p, kSpecs, rules);
  if (auto* e = std::get_if<QueryError>(&r)) return e->message;
  ADD_FAILURE() << "expected a QueryError";
  return "";
}

}  // namespace

TEST(BmsListQueryPaging, DefaultsToTheFirstPageOfTheDefaultSize) {
  const ListQuery q = ok({});
  EXPECT_EQ(q.page_number, 1);
  EXPECT_EQ(q.page_size, 100);
  EXPECT_TRUE(q.terms.empty());
}

TEST(BmsListQueryPaging, TakesPageNumberAndPageSizeInAnyCase) {
  const ListQuery q = ok({{"pagenumber", "3"}, {"PAGESIZE", "25"}});
  EXPECT_EQ(q.page_number, 3);
  EXPECT_EQ(q.page_size, 25);
}

TEST(BmsListQueryPaging, CapsPageSizeAtTheMaximum) {
  EXPECT_EQ(ok({{"PageSize", "500"}}).page_size, 100);
  EXPECT_EQ(ok({{"PageSize", "500"}}, PagingRules{true, 100, 250}).page_size, 250);
}

TEST(BmsListQueryPaging, RefusesPagesBelowOneAndNonNumbers) {
  EXPECT_NE(error({{"PageNumber", "0"}}).find("PageNumber"), std::string::npos);
  EXPECT_NE(error({{"PageSize", "-5"}}).find("PageSize"), std::string::npos);
  EXPECT_NE(error({{"PageSize", "ten"}}).find("ten"), std::string::npos);
  EXPECT_FALSE(error({{"PageNumber", "1.5"}}).empty());
  EXPECT_FALSE(error({{"PageNumber", ""}}).empty());
}

TEST(BmsListQueryPaging, UnpagedListsIgnorePagingParameters) {
  const ListQuery q = ok({{"PageNumber", "nonsense"}, {"PageSize", "3"}}, kUnpaged);
  EXPECT_EQ(q.page_size, 0);
  EXPECT_EQ(q.page_number, 1);
}

TEST(BmsListQueryFilter, ReadsEachValueGrammar) {
  const ListQuery q = ok({{"Filter.modifiedOnFrom", "2025-06-01T10:00:00Z"},
                          {"filter.AccountName", "AcMe"},
                          {"Filter.CategoryIds", "1, 2,3"},
                          {"Filter.IsActive", "TRUE"},
                          {"Filter.AccountId", "42"}});
  ASSERT_EQ(q.terms.size(), 5u);
  EXPECT_EQ(q.terms[0].spec->key, From);
  EXPECT_EQ(q.terms[0].seconds, 1748772000);
  EXPECT_EQ(q.terms[1].text, "acme");  // folded: matched case-insensitively
  EXPECT_EQ(q.terms[2].ids, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_TRUE(q.terms[3].flag);
  EXPECT_EQ(q.terms[4].ids, std::vector<std::int64_t>{42});
}

TEST(BmsListQueryFilter, RepeatedIdListParametersAccumulate) {
  const ListQuery q = ok({{"Filter.CategoryIds", "1"}, {"Filter.CategoryIds", "4,5"}});
  ASSERT_EQ(q.terms.size(), 1u);
  EXPECT_EQ(q.terms[0].ids, (std::vector<std::int64_t>{1, 4, 5}));
}

TEST(BmsListQueryFilter, DateBoundsAreInclusiveWholeSeconds) {
  // A From bound with a fraction starts at the next whole second; a To bound keeps its second.
  EXPECT_EQ(ok({{"Filter.ModifiedOnFrom", "2025-06-01T10:00:00.5Z"}}).terms[0].seconds, 1748772001);
  EXPECT_EQ(ok({{"Filter.ModifiedOnTo", "2025-06-01T10:00:00.5Z"}}).terms[0].seconds, 1748772000);
  // A date alone is midnight UTC; an offset is honoured.
  EXPECT_EQ(ok({{"Filter.ModifiedOnFrom", "2025-06-01"}}).terms[0].seconds, 1748736000);
  EXPECT_EQ(ok({{"Filter.ModifiedOnFrom", "2025-06-01T12:00:00+02:00"}}).terms[0].seconds, 1748772000);
}

TEST(BmsListQueryFilter, RefusesValuesOutsideTheirGrammar) {
  EXPECT_NE(error({{"Filter.ModifiedOnFrom", "yesterday"}}).find("ISO-8601"), std::string::npos);
  EXPECT_NE(error({{"Filter.CategoryIds", "1,,2"}}).find("Filter.CategoryIds"), std::string::npos);
  EXPECT_FALSE(error({{"Filter.CategoryIds", "1,x"}}).empty());
  EXPECT_FALSE(error({{"Filter.CategoryIds", "0"}}).empty());
  EXPECT_FALSE(error({{"Filter.IsActive", "yes"}}).empty());
  EXPECT_FALSE(error({{"Filter.AccountId", "-1"}}).empty());
  EXPECT_FALSE(error({{"Filter.AccountId", "1,2"}}).empty());
}

TEST(BmsListQueryFilter, UnknownFilterIsAnErrorButOtherParametersAreIgnored) {
  EXPECT_NE(error({{"Filter.Nope", "1"}}).find("Filter.Nope"), std::string::npos);
  EXPECT_TRUE(ok({{"_", "12345"}, {"Sort", "id"}}).terms.empty());
}

TEST(BmsListQueryFilter, KeyIsTheSameForTheSameTermsInAnyOrder) {
  const ListQuery a = ok({{"Filter.IsActive", "true"}, {"Filter.AccountName", "x"}, {"PageNumber", "2"}});
  const ListQuery b = ok({{"Filter.AccountName", "X"}, {"Filter.IsActive", "True"}});
  const ListQuery c = ok({{"Filter.AccountName", "y"}, {"Filter.IsActive", "true"}});
  EXPECT_EQ(a.key(), b.key());
  EXPECT_NE(a.key(), c.key());
}

TEST(BmsListQueryFilter, ContainsFoldedMatchesSubstringsIgnoringCase) {
  EXPECT_TRUE(contains_folded("Acme, Inc.", "acme"));
  EXPECT_TRUE(contains_folded("Acme, Inc.", ", inc"));
  EXPECT_TRUE(contains_folded("anything", ""));
  EXPECT_FALSE(contains_folded("Acme", "acme inc"));
}
