#include "sim/connectwise/conditions.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cw = cairn::sim::connectwise;
using nlohmann::json;

namespace {

const json& company() {
  static const json record = json::parse(R"({
    "id": 250,
    "identifier": "AcmeCorp",
    "name": "Acme Corporation",
    "status": {"id": 1, "name": "Active"},
    "types": [{"id": 5, "name": "Client"}, {"id": 7, "name": "Vendor"}],
    "city": "Springfield",
    "zip": "62704",
    "deletedFlag": false,
    "leadFlag": true,
    "phoneNumber": null,
    "annualRevenue": 1250000.5,
    "balance": -10,
    "company": {"id": 19, "identifier": "Parent", "name": "Parent Co"},
    "parentCompany": null,
    "integratorTags": ["alpha", "Beta"],
    "communicationItems": [
      {"type": {"id": 1, "name": "Email"}, "value": "jo@acme.com"},
      {"type": {"id": 2, "name": "Direct"}, "value": "555-0100"}
    ],
    "dateAcquired": "2016-08-20T18:04:26Z",
    "_info": {"lastUpdated": "2026-01-15T10:30:00Z", "updatedBy": "admin1"}
  })");
  return record;
}

cw::Condition compile(const std::string& text) {
  auto result = cw::parse_conditions(text);
  if (auto* e = std::get_if<cw::ConditionError>(&result)) {
    ADD_FAILURE() << "could not parse [" << text << "]: " << e->message;
    return cw::Condition{};
  }
  return std::get<cw::Condition>(result);
}

bool matches(const std::string& text, const json& record = company()) { return compile(text).matches(record); }

cw::ConditionError error_of(const std::string& text) {
  auto result = cw::parse_conditions(text);
  if (auto* e = std::get_if<cw::ConditionError>(&result)) return *e;
  ADD_FAILURE() << "expected an error for [" << text << "]";
  return {};
}

void expect_error(const std::string& text, const std::string& message, std::size_t position) {
  const auto e = error_of(text);
  EXPECT_EQ(e.message, message) << "for [" << text << "]";
  EXPECT_EQ(e.position, position) << "for [" << text << "]";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Operators

TEST(ConnectWiseConditions, EqualsComparesStringsIgnoringCase) {
  EXPECT_TRUE(matches(R"(name = "Acme Corporation")"));
  EXPECT_TRUE(matches(R"(name = "ACME corporation")"));
  EXPECT_FALSE(matches(R"(name = "Acme")"));
}

TEST(ConnectWiseConditions, NotEqualsHoldsForADifferentValue) {
  EXPECT_TRUE(matches(R"(name != "Globex")"));
  EXPECT_FALSE(matches(R"(name != "acme corporation")"));
  EXPECT_TRUE(matches("id != 1"));
  EXPECT_FALSE(matches("id != 250"));
}

TEST(ConnectWiseConditions, ComparisonsAgainstMissingFieldsAreFalseEvenWhenNegative) {
  EXPECT_FALSE(matches(R"(nickName = "x")"));
  EXPECT_FALSE(matches(R"(nickName != "x")"));
  EXPECT_FALSE(matches(R"(nickName not like "x*")"));
  EXPECT_FALSE(matches(R"(nickName not contains "x")"));
  EXPECT_FALSE(matches("nickName not in (1, 2)"));
  EXPECT_FALSE(matches(R"(phoneNumber != "555")"));  // present but null
}

TEST(ConnectWiseConditions, OrderingOperatorsCompareNumbersNumerically) {
  EXPECT_TRUE(matches("id = 250"));
  EXPECT_TRUE(matches("id > 249"));
  EXPECT_FALSE(matches("id > 250"));
  EXPECT_TRUE(matches("id >= 250"));
  EXPECT_TRUE(matches("id < 251"));
  EXPECT_FALSE(matches("id < 250"));
  EXPECT_TRUE(matches("id <= 250"));
  EXPECT_FALSE(matches("id <= 249"));
  EXPECT_TRUE(matches("id > 99"));  // not a text comparison ("250" < "99")
}

TEST(ConnectWiseConditions, DecimalsAndIntegersCompareAcrossTypes) {
  EXPECT_TRUE(matches("id = 250.0"));
  EXPECT_TRUE(matches("annualRevenue > 1250000.25"));
  EXPECT_TRUE(matches("annualRevenue < 1250001"));
  EXPECT_FALSE(matches("annualRevenue = 1250000"));
}

TEST(ConnectWiseConditions, NegativeNumbersAreValues) {
  EXPECT_TRUE(matches("balance < -5"));
  EXPECT_TRUE(matches("balance = -10"));
  EXPECT_FALSE(matches("balance > -10.5 and balance > 0"));
}

TEST(ConnectWiseConditions, LargeIdsCompareExactly) {
  const json record = {{"id", 9007199254740993LL}};
  EXPECT_TRUE(matches("id = 9007199254740993", record));
  EXPECT_FALSE(matches("id = 9007199254740992", record));
  EXPECT_TRUE(matches("id > 9007199254740992", record));
}

TEST(ConnectWiseConditions, UnsignedBeyondInt64StillCompares) {
  const json record = {{"id", 18446744073709551615ULL}};
  EXPECT_TRUE(matches("id > 9223372036854775807", record));
  EXPECT_TRUE(matches("id > 1.5", record));
}

TEST(ConnectWiseConditions, NumberLiteralComparesWithNumericStringField) {
  EXPECT_TRUE(matches("zip = 62704"));
  EXPECT_TRUE(matches("zip > 60000"));
  EXPECT_FALSE(matches("city = 5"));  // not numeric text: no match, no error
}

TEST(ConnectWiseConditions, StringLiteralComparesWithNumberFieldWhenNumeric) {
  EXPECT_TRUE(matches(R"(id = "250")"));
  EXPECT_FALSE(matches(R"(id = "two hundred")"));
}

TEST(ConnectWiseConditions, StringOrderingIgnoresCase) {
  EXPECT_TRUE(matches(R"(name > "ACME A")"));
  EXPECT_TRUE(matches(R"(name < "b")"));
  EXPECT_TRUE(matches(R"(name >= "acme corporation")"));
  EXPECT_TRUE(matches(R"(name <= "ACME CORPORATION")"));
}

TEST(ConnectWiseConditions, BooleansMatchWithCaseInsensitiveKeywords) {
  EXPECT_TRUE(matches("deletedFlag = False"));
  EXPECT_TRUE(matches("deletedFlag = false"));
  EXPECT_TRUE(matches("leadFlag = TRUE"));
  EXPECT_FALSE(matches("deletedFlag = true"));
  EXPECT_TRUE(matches("deletedFlag != true"));
  EXPECT_FALSE(matches("inactiveFlag=False"));  // field absent
}

TEST(ConnectWiseConditions, BooleanFieldDoesNotEqualStringOrNumber) {
  EXPECT_FALSE(matches(R"(deletedFlag = "false")"));
  EXPECT_FALSE(matches("deletedFlag = 0"));
}

TEST(ConnectWiseConditions, ContainsIsCaseInsensitiveSubstring) {
  EXPECT_TRUE(matches(R"(name contains "CORP")"));
  EXPECT_TRUE(matches(R"(name contains "")"));
  EXPECT_FALSE(matches(R"(name contains "globex")"));
  EXPECT_TRUE(matches(R"(name not contains "globex")"));
  EXPECT_FALSE(matches(R"(name not contains "acme")"));
}

TEST(ConnectWiseConditions, ContainsSeesNumbersAsText) {
  EXPECT_TRUE(matches(R"(id contains "25")"));
  EXPECT_FALSE(matches(R"(id contains "9")"));
}

TEST(ConnectWiseConditions, ContainsDoesNotMatchObjectsOrBooleans) {
  EXPECT_FALSE(matches(R"(status contains "Active")"));
  EXPECT_FALSE(matches(R"(deletedFlag contains "f")"));
}

TEST(ConnectWiseConditions, LikeUsesStarAsWildcardIgnoringCase) {
  EXPECT_TRUE(matches(R"(name like "acme*")"));
  EXPECT_TRUE(matches(R"(name like "*CORP*")"));
  EXPECT_TRUE(matches(R"(name like "*ation")"));
  EXPECT_TRUE(matches(R"(name like "a*c*n")"));
  EXPECT_TRUE(matches(R"(name like "*")"));
  EXPECT_TRUE(matches(R"(name like "acme**corporation")"));
  EXPECT_FALSE(matches(R"(name like "acme*x")"));
  EXPECT_FALSE(matches(R"(name like "x*")"));
  EXPECT_FALSE(matches(R"(name like "*corp")"));
}

TEST(ConnectWiseConditions, LikeWithoutWildcardIsWholeValueEquality) {
  EXPECT_TRUE(matches(R"(name like "acme corporation")"));
  EXPECT_FALSE(matches(R"(name like "acme")"));
}

TEST(ConnectWiseConditions, LikePrefixAndSuffixMayNotOverlap) {
  const json record = {{"name", "a"}};
  EXPECT_FALSE(matches(R"(name like "a*a")", record));
  EXPECT_TRUE(matches(R"(name like "a*")", record));
}

TEST(ConnectWiseConditions, LikeTreatsOtherCharactersLiterally) {
  const json record = {{"name", "100% done?"}};
  EXPECT_TRUE(matches(R"(name like "100% *?")", record));
  EXPECT_FALSE(matches(R"(name like "1_0*")", record));
}

TEST(ConnectWiseConditions, NotLikeIsTheNegationForPresentValues) {
  EXPECT_TRUE(matches(R"(name not like "x*")"));
  EXPECT_FALSE(matches(R"(name not like "acme*")"));
}

TEST(ConnectWiseConditions, InMatchesAnyListedValue) {
  EXPECT_TRUE(matches("id in (1, 250, 3)"));
  EXPECT_TRUE(matches("id in (250)"));
  EXPECT_FALSE(matches("id in (1, 2)"));
  EXPECT_TRUE(matches(R"(status/name in ("inactive", "ACTIVE"))"));
  EXPECT_TRUE(matches(R"(id in ("x", 250, true))"));
}

TEST(ConnectWiseConditions, NotInMatchesWhenNoListedValueEquals) {
  EXPECT_TRUE(matches("id not in (1, 2)"));
  EXPECT_FALSE(matches("id not in (1, 250)"));
}

TEST(ConnectWiseConditions, InListWithNullAlsoMatchesMissingValues) {
  EXPECT_TRUE(matches("parentCompany/id in (null, 5)"));
  EXPECT_TRUE(matches("nickName in (null)"));
  EXPECT_FALSE(matches("id in (null, 5)"));
  EXPECT_TRUE(matches("id in (null, 250)"));
}

TEST(ConnectWiseConditions, EqualsNullTestsForMissingOrNull) {
  EXPECT_TRUE(matches("phoneNumber = null"));
  EXPECT_TRUE(matches("nickName = null"));
  EXPECT_TRUE(matches("nickName = NULL"));
  EXPECT_FALSE(matches("name = null"));
  EXPECT_TRUE(matches("parentCompany/id = null"));  // through a null object
  EXPECT_TRUE(matches("site/id = null"));           // through a missing object
}

TEST(ConnectWiseConditions, NotEqualsNullTestsForPresentValue) {
  EXPECT_TRUE(matches("name != null"));
  EXPECT_TRUE(matches("status/id != null"));
  EXPECT_FALSE(matches("phoneNumber != null"));
  EXPECT_FALSE(matches("nickName != null"));
  EXPECT_FALSE(matches("site/id != null"));
}

// ---------------------------------------------------------------------------------------------
// Datetimes

TEST(ConnectWiseConditions, BracketedDatetimesCompareAsInstants) {
  EXPECT_TRUE(matches("dateAcquired = [2016-08-20T18:04:26Z]"));
  EXPECT_TRUE(matches("dateAcquired > [2016-08-20T18:04:25Z]"));
  EXPECT_FALSE(matches("dateAcquired > [2016-08-20T18:04:26Z]"));
  EXPECT_TRUE(matches("dateAcquired >= [2016-08-20T18:04:26Z]"));
  EXPECT_TRUE(matches("dateAcquired < [2016-08-20T18:04:26.001Z]"));
  EXPECT_TRUE(matches("dateAcquired <= [2016-08-20T18:04:26Z]"));
  EXPECT_TRUE(matches("dateAcquired != [2017-01-01T00:00:00Z]"));
}

TEST(ConnectWiseConditions, DatetimesAcceptMissingZoneFractionsAndOffsets) {
  EXPECT_TRUE(matches("dateAcquired = [2016-08-20T18:04:26]"));
  EXPECT_TRUE(matches("dateAcquired = [2016-08-20T18:04:26.000Z]"));
  EXPECT_TRUE(matches("dateAcquired = [2016-08-20T18:04:26.0000000Z]"));
  EXPECT_TRUE(matches("dateAcquired = [2016-08-20T20:04:26+02:00]"));
  EXPECT_TRUE(matches("dateAcquired = [2016-08-20T13:04:26-0500]"));
  EXPECT_TRUE(matches("dateAcquired = [ 2016-08-20T18:04:26Z ]"));
  EXPECT_TRUE(matches("dateAcquired > [2016-08-20]"));
  EXPECT_TRUE(matches("dateAcquired < [2016-08-20T18:05]"));
}

TEST(ConnectWiseConditions, RecordDatetimesWithFractionsCompareExactly) {
  const json record = {{"dateEntered", "2016-08-20T18:04:26.5Z"}};
  EXPECT_TRUE(matches("dateEntered > [2016-08-20T18:04:26Z]", record));
  EXPECT_TRUE(matches("dateEntered < [2016-08-20T18:04:26.6Z]", record));
  EXPECT_TRUE(matches("dateEntered = [2016-08-20T18:04:26.500Z]", record));
}

TEST(ConnectWiseConditions, DatetimeAgainstNonDatetimeFieldIsFalse) {
  EXPECT_FALSE(matches("name > [2016-01-01T00:00:00Z]"));
  EXPECT_FALSE(matches("id > [2016-01-01T00:00:00Z]"));
  EXPECT_FALSE(matches("nickName < [2016-01-01T00:00:00Z]"));
}

TEST(ConnectWiseConditions, QuotedDatetimeComparesAsInstantWithDatetimeField) {
  EXPECT_TRUE(matches(R"(dateAcquired = "2016-08-20T20:04:26+02:00")"));
  EXPECT_TRUE(matches(R"(dateAcquired > "2016-08-20")"));
}

TEST(ConnectWiseConditions, DatetimesBeforeTheEpochCompare) {
  const json record = {{"born", "1969-12-31T23:59:59Z"}};
  EXPECT_TRUE(matches("born < [1970-01-01T00:00:00Z]", record));
  EXPECT_TRUE(matches("born > [0001-01-01T00:00:00Z]", record));
}

TEST(ConnectWiseConditions, LastUpdatedMeansInfoLastUpdatedInAnyCase) {
  EXPECT_TRUE(matches("lastUpdated>[2026-01-01T00:00:00Z]"));
  EXPECT_TRUE(matches("LastUpdated >= [2026-01-01T00:00:00Z] AND LastUpdated <= [2026-02-01T00:00:00Z]"));
  EXPECT_FALSE(matches("LASTUPDATED < [2026-01-01T00:00:00Z]"));
  EXPECT_FALSE(matches("lastupdated = null"));
}

TEST(ConnectWiseConditions, TopLevelLastUpdatedWinsOverInfo) {
  const json record = {{"lastUpdated", "2020-01-01T00:00:00Z"}, {"_info", {{"lastUpdated", "2026-01-01T00:00:00Z"}}}};
  EXPECT_TRUE(matches("lastUpdated < [2021-01-01T00:00:00Z]", record));
  EXPECT_TRUE(matches("_info/lastUpdated > [2025-01-01T00:00:00Z]", record));
}

TEST(ConnectWiseConditions, LastUpdatedWithoutInfoIsMissing) {
  const json record = {{"id", 1}};
  EXPECT_FALSE(matches("lastUpdated > [2000-01-01T00:00:00Z]", record));
  EXPECT_TRUE(matches("lastUpdated = null", record));
}

// ---------------------------------------------------------------------------------------------
// Paths

TEST(ConnectWiseConditions, SlashPathsReachNestedFields) {
  EXPECT_TRUE(matches("status/id = 1"));
  EXPECT_TRUE(matches("company/id=19"));
  EXPECT_TRUE(matches(R"(_info/updatedBy = "admin1")"));
  EXPECT_TRUE(matches("_info/lastUpdated > [2026-01-01T00:00:00Z]"));
  EXPECT_TRUE(matches("status / id = 1"));
}

TEST(ConnectWiseConditions, FieldNamesMatchIgnoringCase) {
  EXPECT_TRUE(matches(R"(NAME = "acme corporation")"));
  EXPECT_TRUE(matches(R"(STATUS/NAME = "active")"));
  EXPECT_TRUE(matches("Company/ID = 19"));
  EXPECT_TRUE(matches("_INFO/LASTUPDATED > [2026-01-01T00:00:00Z]"));
}

TEST(ConnectWiseConditions, MissingOrScalarIntermediateIsFalseNotAnError) {
  EXPECT_FALSE(matches("site/id = 5"));
  EXPECT_TRUE(matches("not site/id = 5"));
  EXPECT_FALSE(matches("parentCompany/id = 5"));
  EXPECT_FALSE(matches(R"(name/first = "x")"));
  EXPECT_FALSE(matches("status/id/deeper = 1"));
}

TEST(ConnectWiseConditions, ArrayPathMatchesWhenAnyElementMatches) {
  EXPECT_TRUE(matches("types/id = 5"));
  EXPECT_TRUE(matches("types/id = 7"));
  EXPECT_FALSE(matches("types/id = 6"));
  EXPECT_TRUE(matches(R"(types/name = "vendor")"));
  EXPECT_TRUE(matches("types/id in (6, 7)"));
  EXPECT_TRUE(matches(R"(communicationItems/value like "*@acme.com")"));
  EXPECT_TRUE(matches(R"(communicationItems/type/name = "direct")"));
}

TEST(ConnectWiseConditions, NegativeOperatorsOnArraysNeedOneElementThatDiffers) {
  EXPECT_TRUE(matches("types/id != 5"));  // the element with id 7
  const json single = {{"types", json::array({{{"id", 5}}})}};
  EXPECT_FALSE(matches("types/id != 5", single));
  EXPECT_FALSE(matches("types/id not in (5)", single));
}

TEST(ConnectWiseConditions, EmptyArrayMatchesOnlyNullTests) {
  const json record = {{"types", json::array()}};
  EXPECT_FALSE(matches("types/id = 5", record));
  EXPECT_FALSE(matches("types/id != 5", record));
  EXPECT_TRUE(matches("types/id = null", record));
  EXPECT_FALSE(matches("types/id != null", record));
}

TEST(ConnectWiseConditions, ArrayElementMissingTheFieldCountsAsNull) {
  const json record = {{"types", json::array({{{"id", 5}}, {{"name", "x"}}})}};
  EXPECT_TRUE(matches("types/name = null", record));
  EXPECT_TRUE(matches("types/name != null", record));
}

TEST(ConnectWiseConditions, ArrayOfScalarsMatchesAnyElement) {
  EXPECT_TRUE(matches(R"(integratorTags = "beta")"));
  EXPECT_TRUE(matches(R"(integratorTags contains "LP")"));
  EXPECT_FALSE(matches(R"(integratorTags = "gamma")"));
}

TEST(ConnectWiseConditions, ConfigurationExamplesFromRealClients) {
  const json config = json::parse(R"({
    "id": 77, "name": "SRV-01", "type": {"id": 3, "name": "Server"},
    "status": {"id": 2, "name": "Active"}, "company": {"id": 250, "identifier": "AcmeCorp"},
    "activeFlag": true, "managementLink": "https://rmm.host.example/device/77",
    "_info": {"lastUpdated": "2026-03-01T00:00:00Z"}
  })");
  EXPECT_TRUE(matches(R"(type/name="Server")", config));
  EXPECT_TRUE(matches("company/id=250", config));
  EXPECT_TRUE(matches("status/id in (1,2)", config));
  EXPECT_TRUE(matches(R"(managementLink contains "host")", config));
  EXPECT_TRUE(matches("(lastUpdated>[2026-01-01T00:00:00Z]) and (activeFlag=True)", config));
}

// ---------------------------------------------------------------------------------------------
// Boolean structure

TEST(ConnectWiseConditions, AndBindsTighterThanOr) {
  // (id = 250) or (id = 1 and deletedFlag = true): true. Left-to-right grouping would give false.
  EXPECT_TRUE(matches("id = 250 or id = 1 and deletedFlag = true"));
  EXPECT_TRUE(matches(R"(id = 1 and name = "x" or id = 250)"));
  EXPECT_FALSE(matches("id = 1 or id = 2 and id = 250"));
}

TEST(ConnectWiseConditions, ParenthesesOverridePrecedence) {
  EXPECT_FALSE(matches("(id = 250 or id = 1) and deletedFlag = true"));
  EXPECT_TRUE(matches(R"((id = 1 or id = 250) and (name contains "acme"))"));
  EXPECT_TRUE(matches("((id = 250))"));
  EXPECT_TRUE(matches("((id = 1 or (id = 2 or id = 250)) and (leadFlag = true))"));
}

TEST(ConnectWiseConditions, NotNegatesTheNextTerm) {
  EXPECT_TRUE(matches("not id = 1"));
  EXPECT_FALSE(matches("NOT id = 250"));
  EXPECT_FALSE(matches("not (id = 250 or id = 1)"));
  EXPECT_TRUE(matches("not not id = 250"));
  // not binds tighter than and: (not id = 250) and id = 1 is false; not (id = 250 and id = 1) would be true.
  EXPECT_FALSE(matches("not id = 250 and id = 1"));
}

TEST(ConnectWiseConditions, LongChainsOfAndAndOrWork) {
  std::string any;
  std::string all;
  for (int i = 0; i < 500; ++i) {
    any += (i ? " or " : "") + std::string("id = ") + std::to_string(i);
    all += (i ? " and " : "") + std::string("id != ") + std::to_string(1000 + i);
  }
  EXPECT_TRUE(matches(any));
  EXPECT_TRUE(matches(all));
}

TEST(ConnectWiseConditions, KeywordsAreCaseInsensitive) {
  EXPECT_TRUE(matches(R"(id = 250 AND name Contains "acme" Or id = 1)"));
  EXPECT_TRUE(matches("id NOT IN (1)"));
  EXPECT_TRUE(matches(R"(name NOT LIKE "x*")"));
  EXPECT_TRUE(matches(R"(name LIKE "ACME*")"));
  EXPECT_TRUE(matches(R"(name Not Contains "x")"));
  EXPECT_TRUE(matches("id In (250)"));
}

TEST(ConnectWiseConditions, WhitespaceIsOptionalBetweenTokens) {
  EXPECT_TRUE(matches("id=250"));
  EXPECT_TRUE(matches("\tid\n=\r\n250  "));
  EXPECT_TRUE(matches(R"(id=250 and(name="Acme Corporation"))"));
  EXPECT_TRUE(matches("id in(1,250)"));
  EXPECT_TRUE(matches("lastUpdated>[2026-01-01T00:00:00Z]"));
}

TEST(ConnectWiseConditions, StringEscapesQuoteAndBackslash) {
  const json record = {{"name", R"(He said "hi" \o/)"}};
  EXPECT_TRUE(matches(R"(name = "He said \"hi\" \\o/")", record));
  EXPECT_TRUE(matches(R"(name contains "\"hi\"")", record));
}

TEST(ConnectWiseConditions, StringsKeepOperatorsAndKeywordsAsText) {
  const json record = {{"name", "a = b and (c or d)"}};
  EXPECT_TRUE(matches(R"x(name = "a = b and (c or d)")x", record));
}

TEST(ConnectWiseConditions, BlankConditionsMatchEverything) {
  EXPECT_TRUE(matches(""));
  EXPECT_TRUE(matches("   \t"));
  EXPECT_TRUE(cw::Condition{}.matches(json::object()));
}

TEST(ConnectWiseConditions, ConditionEvaluatesNonObjectRecordsWithoutThrowing) {
  const auto c = compile(R"(name = "x" or id = null)");
  EXPECT_TRUE(c.matches(json(5)));
  EXPECT_TRUE(c.matches(json()));
  EXPECT_TRUE(c.matches(json::array()));
  EXPECT_TRUE(compile("id = 5").matches(json::array({{{"id", 5}}})));
}

TEST(ConnectWiseConditions, CompiledConditionIsReusableAndCopyable) {
  const auto c = compile("id in (1, 2) or status/name = \"active\"");
  const cw::Condition copy = c;  // NOLINT(performance-unnecessary-copy-initialization)
  int hits = 0;
  for (int i = 0; i < 1000; ++i) {
    json r = {{"id", i % 5}, {"status", {{"name", i % 7 == 0 ? "Active" : "Inactive"}}}};
    if (copy.matches(r)) ++hits;
    EXPECT_EQ(c.matches(r), copy.matches(r));
  }
  EXPECT_GT(hits, 0);
}

// ---------------------------------------------------------------------------------------------
// Invalid conditions

TEST(ConnectWiseConditionErrors, MissingValueAfterOperator) {
  expect_error("name = ", "Expected value after operator '=' at position 7", 7);
  expect_error("companyId = and", "Expected value after operator '=' at position 12", 12);
  expect_error("id == 5", "Expected value after operator '=' at position 4", 4);
  expect_error("id = abc", "Expected value after operator '=' at position 5", 5);
  expect_error("id >= )", "Expected value after operator '>=' at position 6", 6);
  expect_error("name like", "Expected value after operator 'like' at position 9", 9);
  expect_error("name not contains", "Expected value after operator 'not contains' at position 17", 17);
}

TEST(ConnectWiseConditionErrors, MissingOrUnknownOperator) {
  expect_error("name", "Expected operator after field 'name' at position 4", 4);
  expect_error(R"(name "x")", "Expected operator after field 'name' but found string 'x' at position 5", 5);
  expect_error(R"(name foo "x")", "Unknown operator 'foo' at position 5", 5);
  expect_error("name is null", "Unknown operator 'is' at position 5", 5);
  expect_error(R"(name not "x")", "Expected 'like', 'contains' or 'in' after 'not' at position 9", 9);
  expect_error("name not = 5", "Expected 'like', 'contains' or 'in' after 'not' at position 9", 9);
  expect_error("company/id", "Expected operator after field 'company/id' at position 10", 10);
}

TEST(ConnectWiseConditionErrors, MissingFieldName) {
  expect_error("= 5", "Expected field name but found '=' at position 0", 0);
  expect_error("id = 5 and", "Expected field name at position 10", 10);
  expect_error("id = 5 or or id = 6", "Expected field name but found 'or' at position 10", 10);
  expect_error("and id = 5", "Expected field name but found 'and' at position 0", 0);
  expect_error("id = 5 and not", "Expected field name at position 14", 14);
  expect_error("()", "Expected field name but found ')' at position 1", 1);
  expect_error("5 = id", "Expected field name but found '5' at position 0", 0);
  expect_error(R"("name" = 5)", "Expected field name but found string 'name' at position 0", 0);
}

TEST(ConnectWiseConditionErrors, MissingConjunctionBetweenComparisons) {
  expect_error("id = 5 id = 6", "Expected 'and' or 'or' but found 'id' at position 7", 7);
  expect_error("id = 5 6", "Expected 'and' or 'or' but found '6' at position 7", 7);
  expect_error(R"(id = 5 "x")", "Expected 'and' or 'or' but found string 'x' at position 7", 7);
}

TEST(ConnectWiseConditionErrors, UnbalancedParentheses) {
  expect_error("(id = 5", "Expected ')' at position 7", 7);
  expect_error("(id = 5 id", "Expected ')' but found 'id' at position 8", 8);
  expect_error("id = 5)", "Unexpected ')' at position 6", 6);
  expect_error("((id = 5)", "Expected ')' at position 9", 9);
  expect_error("(", "Expected field name at position 1", 1);
}

TEST(ConnectWiseConditionErrors, UnterminatedStringOrDatetime) {
  expect_error(R"(name = "abc)", "Unterminated string starting at position 7", 7);
  expect_error(R"(name = "abc\")", "Unterminated string starting at position 7", 7);
  expect_error("lastUpdated > [2016-08-20T18:04:26Z", "Unterminated datetime starting at position 14", 14);
}

TEST(ConnectWiseConditionErrors, InvalidDatetimes) {
  expect_error("lastUpdated > [2016-13-20T18:04:26Z]", "Invalid datetime '2016-13-20T18:04:26Z' at position 14", 14);
  expect_error("lastUpdated > [2016-02-30]", "Invalid datetime '2016-02-30' at position 14", 14);
  expect_error("lastUpdated > [2016-08-20T25:00:00Z]", "Invalid datetime '2016-08-20T25:00:00Z' at position 14", 14);
  expect_error("lastUpdated > [yesterday]", "Invalid datetime 'yesterday' at position 14", 14);
  expect_error("lastUpdated > []", "Invalid datetime '' at position 14", 14);
  expect_error("lastUpdated > [2016-08-20T18:04:26.Z]", "Invalid datetime '2016-08-20T18:04:26.Z' at position 14", 14);
  expect_error("lastUpdated > [2016-08-20T18:04:26ZZ]", "Invalid datetime '2016-08-20T18:04:26ZZ' at position 14", 14);
  expect_error("lastUpdated > [16-08-20]", "Invalid datetime '16-08-20' at position 14", 14);
}

TEST(ConnectWiseConditionErrors, InvalidNumbers) {
  expect_error("id = 12abc", "Invalid number '12abc' at position 5", 5);
  expect_error("id = 1.2.3", "Invalid number '1.2.3' at position 5", 5);
  expect_error("id = 5.", "Invalid number '5.' at position 5", 5);
  expect_error("id = -", "Unexpected character '-' at position 5", 5);
  expect_error("id = .5", "Unexpected character '.' at position 5", 5);
}

TEST(ConnectWiseConditionErrors, MalformedInLists) {
  expect_error("id in 1, 2", "Expected '(' after operator 'in' at position 6", 6);
  expect_error("id in ()", "Expected value in the list of operator 'in' at position 7", 7);
  expect_error("id in (1 2)", "Expected ',' or ')' in the list of operator 'in' at position 9", 9);
  expect_error("id in (1,", "Expected value in the list of operator 'in' at position 9", 9);
  expect_error("id in (1,)", "Expected value in the list of operator 'in' at position 9", 9);
  expect_error("id not in (1", "Expected ',' or ')' in the list of operator 'not in' at position 12", 12);
  expect_error("id in (abc)", "Expected value in the list of operator 'in' at position 7", 7);
}

TEST(ConnectWiseConditionErrors, TextOperatorsNeedStringValues) {
  expect_error("name contains 5", "Operator 'contains' requires a string value at position 14", 14);
  expect_error("name like true", "Operator 'like' requires a string value at position 10", 10);
  expect_error("name not like [2016-01-01]", "Operator 'not like' requires a string value at position 14", 14);
  expect_error("name not contains null", "Operator 'not contains' cannot be used with null at position 18", 18);
}

TEST(ConnectWiseConditionErrors, OrderingAgainstNullIsRejected) {
  expect_error("id < null", "Operator '<' cannot be used with null at position 5", 5);
  expect_error("id >= NULL", "Operator '>=' cannot be used with null at position 6", 6);
}

TEST(ConnectWiseConditionErrors, UnexpectedCharacters) {
  expect_error(R"(id = 5 & name = "x")", "Unexpected character '&' at position 7", 7);
  expect_error("id ! 5", "Unexpected character '!' at position 3", 3);
  expect_error("name = 'x'", "Unexpected character ''' at position 7", 7);
  expect_error("company.id = 5", "Unexpected character '.' at position 7", 7);
  expect_error("id = 5 && id = 6", "Unexpected character '&' at position 7", 7);
}

TEST(ConnectWiseConditionErrors, NonAsciiInputIsNotEchoedRaw) {
  const auto e = error_of("name = \"x\" \xC3\xA9");
  EXPECT_EQ(e.message, "Unexpected character '?' at position 11");
  const auto d = error_of("lastUpdated > [\xff\xfe]");
  EXPECT_EQ(d.message, "Invalid datetime '?" "?' at position 14");
  EXPECT_NO_THROW((void)json(e.message).dump());
}

TEST(ConnectWiseConditionErrors, LongUnknownTextIsTruncatedInMessage) {
  const std::string word(500, 'z');
  const auto e = error_of("name " + word + " 5");
  EXPECT_EQ(e.message, "Unknown operator '" + std::string(40, 'z') + "...' at position 5");
}

TEST(ConnectWiseConditionErrors, MissingFieldNameAfterSlash) {
  expect_error("company/ = 5", "Expected field name after '/' at position 9", 9);
  expect_error("company/", "Expected field name after '/' at position 8", 8);
  expect_error("/id = 5", "Expected field name but found '/' at position 0", 0);
}

TEST(ConnectWiseConditionErrors, DeepNestingIsRejectedNotCrashing) {
  const std::string parens = std::string(5000, '(') + "id = 1" + std::string(5000, ')');
  const auto e = error_of(parens);
  EXPECT_EQ(e.message, "Conditions are nested too deeply at position 101");
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "not ";
  EXPECT_EQ(error_of(nots + "id = 1").message, "Conditions are nested too deeply at position 404");
  // Just under the limit still parses.
  EXPECT_TRUE(matches(std::string(100, '(') + "id = 250" + std::string(100, ')')));
}

TEST(ConnectWiseConditionErrors, EveryMessageEndsWithItsPosition) {
  const std::vector<std::string> bad = {"name =", "(", ")", "id in (", "x y", "a = [", "a = \"", "a = 1 or", "a ~ 1"};
  for (const auto& text : bad) {
    const auto e = error_of(text);
    const std::string suffix = " at position " + std::to_string(e.position);
    ASSERT_GE(e.message.size(), suffix.size()) << text;
    EXPECT_EQ(e.message.substr(e.message.size() - suffix.size()), suffix) << text;
    EXPECT_LE(e.position, text.size()) << text;
  }
}

TEST(ConnectWiseConditionErrors, EveryPrefixOfAValidConditionParsesOrFailsCleanly) {
  const std::string text =
      R"(not (type/name = "Server" or types/id in (1, 2, null)) and LastUpdated >= [2026-01-01T00:00:00.5Z] )"
      R"(OR name not like "*x\"y*" and id != -3.25 and flag = TRUE and x not contains "q")";
  ASSERT_TRUE(std::holds_alternative<cw::Condition>(cw::parse_conditions(text)));
  for (std::size_t n = 0; n <= text.size(); ++n) {
    auto r = cw::parse_conditions(text.substr(0, n));
    if (auto* e = std::get_if<cw::ConditionError>(&r)) {
      EXPECT_FALSE(e->message.empty());
      EXPECT_LE(e->position, n);
    } else {
      (void)std::get<cw::Condition>(r).matches(company());
    }
  }
}

TEST(ConnectWiseConditionErrors, RandomInputNeverCrashes) {
  std::mt19937 rng(20261124);
  const std::string alphabet = "abcnotdlikeANDor()[]\"\\=!<>,/ 0123456789.-_*TZ:\xc3\xff\t";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 60);
  int parsed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int k = length(rng); k > 0; --k) text += alphabet[pick(rng)];
    auto r = cw::parse_conditions(text);
    if (auto* e = std::get_if<cw::ConditionError>(&r)) {
      EXPECT_LE(e->position, text.size());
      EXPECT_NO_THROW((void)json(e->message).dump());
    } else {
      ++parsed;
      (void)std::get<cw::Condition>(r).matches(company());
    }
  }
  EXPECT_GT(parsed, 0);
}

// ---------------------------------------------------------------------------------------------
// orderBy

namespace {

cw::OrderBy order_by(const std::string& text) {
  auto result = cw::parse_order_by(text);
  if (auto* e = std::get_if<cw::ConditionError>(&result)) {
    ADD_FAILURE() << "could not parse orderBy [" << text << "]: " << e->message;
    return cw::OrderBy{};
  }
  return std::get<cw::OrderBy>(result);
}

std::vector<int> sorted_ids(std::vector<json> records, const std::string& text) {
  std::stable_sort(records.begin(), records.end(), order_by(text));
  std::vector<int> ids;
  for (const auto& r : records) ids.push_back(r["id"].get<int>());
  return ids;
}

std::vector<json> people() {
  return {
      {{"id", 1}, {"name", "bravo"}, {"status", {{"name", "Active"}}}, {"_info", {{"lastUpdated", "2026-01-03T00:00:00Z"}}}},
      {{"id", 10}, {"name", "Alpha"}, {"status", {{"name", "Inactive"}}}, {"_info", {{"lastUpdated", "2026-01-01T00:00:00Z"}}}},
      {{"id", 9}, {"name", "charlie"}, {"status", {{"name", "active"}}}, {"_info", {{"lastUpdated", "2026-01-02T00:00:00Z"}}}},
      {{"id", 4}, {"name", nullptr}, {"status", {{"name", "Inactive"}}}},
  };
}

cw::ConditionError order_error(const std::string& text) {
  auto result = cw::parse_order_by(text);
  if (auto* e = std::get_if<cw::ConditionError>(&result)) return *e;
  ADD_FAILURE() << "expected an orderBy error for [" << text << "]";
  return {};
}

}  // namespace

TEST(ConnectWiseOrderBy, DefaultsToAscending) {
  EXPECT_EQ(sorted_ids(people(), "id"), (std::vector<int>{1, 4, 9, 10}));
  EXPECT_EQ(sorted_ids(people(), "id asc"), (std::vector<int>{1, 4, 9, 10}));
}

TEST(ConnectWiseOrderBy, DescendingReversesTheOrder) {
  EXPECT_EQ(sorted_ids(people(), "id desc"), (std::vector<int>{10, 9, 4, 1}));
}

TEST(ConnectWiseOrderBy, NumbersSortNumericallyNotAsText) {
  EXPECT_EQ(sorted_ids(people(), "id"), (std::vector<int>{1, 4, 9, 10}));  // 9 before 10
}

TEST(ConnectWiseOrderBy, StringsSortIgnoringCaseWithNullsFirst) {
  EXPECT_EQ(sorted_ids(people(), "name"), (std::vector<int>{4, 10, 1, 9}));
  EXPECT_EQ(sorted_ids(people(), "name desc"), (std::vector<int>{9, 1, 10, 4}));
}

TEST(ConnectWiseOrderBy, LaterKeysBreakTies) {
  EXPECT_EQ(sorted_ids(people(), "status/name asc, id desc"), (std::vector<int>{9, 1, 10, 4}));
  EXPECT_EQ(sorted_ids(people(), "status/name desc,id"), (std::vector<int>{4, 10, 1, 9}));
}

TEST(ConnectWiseOrderBy, FieldNamesAndDirectionsIgnoreCase) {
  EXPECT_EQ(sorted_ids(people(), "ID DESC"), (std::vector<int>{10, 9, 4, 1}));
  EXPECT_EQ(sorted_ids(people(), "Status/Name Asc, Id Desc"), (std::vector<int>{9, 1, 10, 4}));
}

TEST(ConnectWiseOrderBy, LastUpdatedSortsByInfoLastUpdated) {
  EXPECT_EQ(sorted_ids(people(), "lastUpdated"), (std::vector<int>{4, 10, 9, 1}));
  EXPECT_EQ(sorted_ids(people(), "_info/lastUpdated desc"), (std::vector<int>{1, 9, 10, 4}));
}

TEST(ConnectWiseOrderBy, MixedTypesOrderNullBoolNumberString) {
  std::vector<json> records = {{{"id", 1}, {"v", "text"}}, {{"id", 2}, {"v", 5}}, {{"id", 3}, {"v", true}}, {{"id", 4}}};
  EXPECT_EQ(sorted_ids(records, "v"), (std::vector<int>{4, 3, 2, 1}));
}

TEST(ConnectWiseOrderBy, CompareReportsTies) {
  const auto o = order_by("status/name");
  const auto p = people();
  EXPECT_EQ(o.compare(p[0], p[2]), 0);  // "Active" vs "active"
  EXPECT_LT(o.compare(p[0], p[1]), 0);
  EXPECT_GT(o.compare(p[1], p[0]), 0);
  EXPECT_FALSE(o.empty());
}

TEST(ConnectWiseOrderBy, BlankOrderByHasNoKeys) {
  const auto o = order_by("  ");
  EXPECT_TRUE(o.empty());
  EXPECT_EQ(o.compare(people()[0], people()[1]), 0);
  EXPECT_TRUE(cw::OrderBy{}.empty());
}

TEST(ConnectWiseOrderBy, UnknownDirectionIsAnError) {
  const auto e = order_error("name up");
  EXPECT_EQ(e.message, "Unknown sort direction 'up' (expected 'asc' or 'desc') at position 5");
  EXPECT_EQ(e.position, 5u);
  EXPECT_EQ(order_error("name ascending").message,
            "Unknown sort direction 'ascending' (expected 'asc' or 'desc') at position 5");
}

TEST(ConnectWiseOrderBy, MalformedListsAreErrors) {
  EXPECT_EQ(order_error("name asc desc").message, "Expected ',' between sort fields but found 'desc' at position 9");
  EXPECT_EQ(order_error("name,").message, "Expected field name at position 5");
  EXPECT_EQ(order_error(",name").message, "Expected field name but found ',' at position 0");
  EXPECT_EQ(order_error("name asc,, id").message, "Expected field name but found ',' at position 9");
  EXPECT_EQ(order_error("name desc id").message, "Expected ',' between sort fields but found 'id' at position 10");
  EXPECT_EQ(order_error("status/ , id").message, "Expected field name after '/' at position 8");
  EXPECT_EQ(order_error("name; drop").message, "Unexpected character ';' at position 4");
  EXPECT_EQ(order_error("\"name\" asc").message, "Expected field name but found string 'name' at position 0");
}

// ---------------------------------------------------------------------------------------------
// fields

namespace {

cw::FieldSelection fields(const std::string& text) {
  auto result = cw::parse_fields(text);
  if (auto* e = std::get_if<cw::ConditionError>(&result)) {
    ADD_FAILURE() << "could not parse fields [" << text << "]: " << e->message;
    return cw::FieldSelection{};
  }
  return std::get<cw::FieldSelection>(result);
}

cw::ConditionError fields_error(const std::string& text) {
  auto result = cw::parse_fields(text);
  if (auto* e = std::get_if<cw::ConditionError>(&result)) return *e;
  ADD_FAILURE() << "expected a fields error for [" << text << "]";
  return {};
}

}  // namespace

TEST(ConnectWiseFields, KeepsOnlyListedTopLevelFields) {
  EXPECT_EQ(fields("id,name")(company()), json({{"id", 250}, {"name", "Acme Corporation"}}));
}

TEST(ConnectWiseFields, NestedPathsKeepTheirParents) {
  EXPECT_EQ(fields("id,_info/lastUpdated")(company()),
            json::parse(R"({"id":250,"_info":{"lastUpdated":"2026-01-15T10:30:00Z"}})"));
  EXPECT_EQ(fields("status/name, company/id")(company()),
            json::parse(R"({"status":{"name":"Active"},"company":{"id":19}})"));
}

TEST(ConnectWiseFields, NamesMatchIgnoringCaseButKeepRecordSpelling) {
  EXPECT_EQ(fields("ID,Name,STATUS/ID")(company()),
            json::parse(R"({"id":250,"name":"Acme Corporation","status":{"id":1}})"));
}

TEST(ConnectWiseFields, MissingFieldsAreLeftOut) {
  EXPECT_EQ(fields("id,nickName,site/id,status/nothing")(company()), json({{"id", 250}}));
}

TEST(ConnectWiseFields, NullValuesAreKept) {
  EXPECT_EQ(fields("phoneNumber")(company()), json({{"phoneNumber", nullptr}}));
}

TEST(ConnectWiseFields, WholeObjectWinsOverItsSubfields) {
  const json status = company()["status"];
  EXPECT_EQ(fields("status,status/id")(company()), json({{"status", status}}));
  EXPECT_EQ(fields("status/id,status")(company()), json({{"status", status}}));
  EXPECT_EQ(fields("status/id,status/name")(company()), json({{"status", status}}));
}

TEST(ConnectWiseFields, PathsThroughArraysProjectEachElement) {
  EXPECT_EQ(fields("types/name")(company()), json::parse(R"({"types":[{"name":"Client"},{"name":"Vendor"}]})"));
  EXPECT_EQ(fields("communicationItems/type/name")(company()),
            json::parse(R"({"communicationItems":[{"type":{"name":"Email"}},{"type":{"name":"Direct"}}]})"));
  EXPECT_EQ(fields("integratorTags")(company()), json({{"integratorTags", {"alpha", "Beta"}}}));
}

TEST(ConnectWiseFields, BlankKeepsEverything) {
  const auto f = fields(" ");
  EXPECT_TRUE(f.keeps_everything());
  EXPECT_EQ(f(company()), company());
  EXPECT_FALSE(fields("id").keeps_everything());
}

TEST(ConnectWiseFields, NonObjectRecordsPassThrough) {
  EXPECT_EQ(fields("id")(json(5)), json(5));
}

// List pages project the rendered text (simdjson) rather than a DOM; both must keep the same.
TEST(ConnectWiseFields, TextProjectionKeepsWhatTheDomProjectionKeeps) {
  const std::string text = company().dump();
  for (const char* selection :
       {"id,name", "id,_info/lastUpdated", "status/name, company/id", "ID,Name,STATUS/ID", "id,nickName,site/id,status/nothing",
        "phoneNumber", "status,status/id", "status/id,status", "types/name", "communicationItems/type/name",
        "integratorTags", "nothing", "status/nothing"}) {
    const auto f = fields(selection);
    EXPECT_EQ(json::parse(f(std::string_view(text))), f(company())) << selection;
  }
  EXPECT_EQ(fields("nothing")(std::string_view(text)), "{}");
  EXPECT_EQ(fields(" ")(std::string_view(text)), text);
  EXPECT_EQ(fields("id")(std::string_view("[1,2]")), "[1,2]");
}

TEST(ConnectWiseFields, MalformedListsAreErrors) {
  EXPECT_EQ(fields_error("id,,name").message, "Expected field name but found ',' at position 3");
  EXPECT_EQ(fields_error("id name").message, "Expected ',' between fields but found 'name' at position 3");
  EXPECT_EQ(fields_error("id,").message, "Expected field name at position 3");
  EXPECT_EQ(fields_error("_info/").message, "Expected field name after '/' at position 6");
  EXPECT_EQ(fields_error("id;name").message, "Unexpected character ';' at position 2");
  EXPECT_EQ(fields_error("id,5").message, "Expected field name but found '5' at position 3");
  EXPECT_EQ(fields_error("id,5").position, 3u);
}
