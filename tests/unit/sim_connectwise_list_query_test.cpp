// Which parts of a `conditions` text the ConnectWise emulator checks on its structs directly.
#include <gtest/gtest.h>

#include "sim/connectwise/list_query.h"

using namespace cairn::sim::connectwise;

TEST(ConnectWiseFastConditions, TopLevelAndOfSimpleTermsIsComplete) {
  auto f = analyse_conditions("lastUpdated>[2026-01-01T00:00:00Z] and type/id in (1, 2) AND inactiveFlag = false");
  EXPECT_TRUE(f.complete);
  ASSERT_EQ(f.terms.size(), 3u);
  EXPECT_EQ(f.terms[0].path, "lastupdated");
  EXPECT_EQ(f.terms[0].values[0], 1767225600000);
  EXPECT_EQ(f.terms[1].op, FastTerm::Op::In);
  EXPECT_EQ(f.terms[1].values, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(f.terms[2].literal, FastTerm::Literal::Boolean);
}

TEST(ConnectWiseFastConditions, OtherTermsAreLeftToTheFullEvaluator) {
  auto f = analyse_conditions("id > 10 and name like \"A*\"");
  EXPECT_FALSE(f.complete);
  ASSERT_EQ(f.terms.size(), 1u);  // id > 10 still prefilters
  EXPECT_EQ(f.terms[0].path, "id");
}

TEST(ConnectWiseFastConditions, TopLevelOrOrParenthesesGiveNoShortcut) {
  EXPECT_TRUE(analyse_conditions("id = 1 or id = 2").terms.empty());
  EXPECT_FALSE(analyse_conditions("id = 1 or id = 2").complete);
  auto p = analyse_conditions("(id = 1)");
  EXPECT_TRUE(p.terms.empty());
  EXPECT_FALSE(p.complete);
  EXPECT_FALSE(analyse_conditions("id = 1.5").complete);        // decimals
  EXPECT_FALSE(analyse_conditions("lastUpdated > 5").complete);  // not a datetime
  EXPECT_FALSE(analyse_conditions("id = \"5\"").complete);       // quoted
}

TEST(ConnectWiseListQuery, PageSizeIsCappedAndBadPagingRefused) {
  QueryInput in;
  in.page_size = "5000";
  EXPECT_EQ(std::get<ListQuery>(parse_list_query(in)).page_size, 1000);
  in.page_size = "0";
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_list_query(in)));
  in = {};
  in.page = "x";
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_list_query(in)));
  in = {};
  in.forward_only_header = true;
  in.order_by = "name";
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_list_query(in)));
  in.order_by = "id asc";
  EXPECT_TRUE(std::holds_alternative<ListQuery>(parse_list_query(in)));
}
