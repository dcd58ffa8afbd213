#include "sim/autotask/query_filter.h"

#include <cctype>
#include <functional>
#include <initializer_list>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace at = cairn::sim::autotask;
using nlohmann::json;

namespace {

const json& company() {
  static const json record = json::parse(R"({
    "id": 101,
    "companyName": "Acme Corporation",
    "companyNumber": "A-100",
    "companyType": 1,
    "classification": null,
    "isActive": true,
    "phone": "555-0100",
    "postalCode": "62704",
    "parentCompanyID": null,
    "marketSegmentID": 7,
    "annualSales": 1250000.5,
    "lastActivityDate": "2026-01-15T10:30:00.1234567Z",
    "lastTrackedModifiedDateTime": "2026-01-10T00:00:00Z",
    "createDate": "2019-08-12T14:16:55.3Z",
    "userDefinedFields": [
      {"name": "Region", "value": "North"},
      {"name": "Seats", "value": "25"},
      {"name": "Renewal", "value": "2026-06-30T00:00:00Z"},
      {"name": "Empty", "value": null}
    ]
  })");
  return record;
}

const json& contact() {
  static const json record = json::parse(R"({"id": 7, "companyID": 101, "firstName": "Jo", "isActive": 1})");
  return record;
}

json item(const std::string& op, const std::string& field, const json& value) {
  return {{"op", op}, {"field", field}, {"value", value}};
}

json item(const std::string& op, const std::string& field) { return {{"op", op}, {"field", field}}; }

json udf(const std::string& op, const std::string& field, const json& value) {
  json i = item(op, field, value);
  i["udf"] = true;
  return i;
}

// Two overloads because nlohmann collapses a one-element brace list `{x}` into `x` itself.
json group(const std::string& op, std::initializer_list<json> items) {
  json array = json::array();
  for (const auto& i : items) array.push_back(i);
  return {{"op", op}, {"items", array}};
}
json group(const std::string& op, const json& items) { return {{"op", op}, {"items", items}}; }

at::Query query(const json& body) {
  auto result = at::parse_query(body);
  if (auto* e = std::get_if<at::QueryError>(&result)) {
    ADD_FAILURE() << "could not parse " << body.dump() << ": " << e->message;
    return {};
  }
  return std::get<at::Query>(result);
}

// `items` is the filter array, or a single item that becomes a one-item filter.
bool matches(const json& items, const json& record = company()) {
  const json filter = items.is_array() ? items : json::array({items});
  return query({{"filter", filter}}).filter.matches(record);
}

std::string error_of(const json& body, const at::ParseOptions& options = {}) {
  auto result = at::parse_query(body, options);
  if (auto* e = std::get_if<at::QueryError>(&result)) return e->message;
  ADD_FAILURE() << "expected an error for " << body.dump();
  return {};
}

std::string filter_error(const json& one_item) { return error_of({{"filter", json::array({one_item})}}); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Operators

TEST(AutotaskQueryFilter, EqComparesStringsIgnoringCase) {
  EXPECT_TRUE(matches(item("eq", "companyName", "Acme Corporation")));
  EXPECT_TRUE(matches(item("eq", "companyName", "ACME corporation")));
  EXPECT_FALSE(matches(item("eq", "companyName", "Acme")));
}

TEST(AutotaskQueryFilter, EqAndNoteqCompareIntegers) {
  EXPECT_TRUE(matches(item("eq", "id", 101)));
  EXPECT_FALSE(matches(item("eq", "id", 102)));
  EXPECT_TRUE(matches(item("noteq", "id", 102)));
  EXPECT_FALSE(matches(item("noteq", "id", 101)));
  EXPECT_TRUE(matches(item("noteq", "companyName", "Globex")));
}

TEST(AutotaskQueryFilter, ComparisonsAgainstMissingOrNullFieldsAreFalse) {
  EXPECT_FALSE(matches(item("noteq", "classification", 3)));
  EXPECT_FALSE(matches(item("noteq", "nickName", "x")));
  EXPECT_FALSE(matches(item("notIn", "classification", {1, 2})));
  EXPECT_FALSE(matches(item("eq", "classification", 3)));
  EXPECT_FALSE(matches(item("gt", "parentCompanyID", 0)));
  EXPECT_FALSE(matches(item("contains", "nickName", "x")));
}

TEST(AutotaskQueryFilter, OrderingOperatorsCompareNumbers) {
  EXPECT_TRUE(matches(item("gt", "id", 100)));
  EXPECT_FALSE(matches(item("gt", "id", 101)));
  EXPECT_TRUE(matches(item("gte", "id", 101)));
  EXPECT_FALSE(matches(item("gte", "id", 102)));
  EXPECT_TRUE(matches(item("lt", "id", 102)));
  EXPECT_FALSE(matches(item("lt", "id", 101)));
  EXPECT_TRUE(matches(item("lte", "id", 101)));
  EXPECT_FALSE(matches(item("lte", "id", 100)));
  EXPECT_TRUE(matches(item("gt", "id", 99)));  // numerically, not as text
}

TEST(AutotaskQueryFilter, DecimalValuesCompareWithDecimalAndIntegerFields) {
  EXPECT_TRUE(matches(item("gt", "annualSales", 1250000.25)));
  EXPECT_TRUE(matches(item("lt", "annualSales", 1250001)));
  EXPECT_TRUE(matches(item("eq", "id", 101.0)));
}

TEST(AutotaskQueryFilter, LargeIdsCompareExactly) {
  const json record = {{"id", 9007199254740993LL}};
  EXPECT_TRUE(matches(item("eq", "id", 9007199254740993LL), record));
  EXPECT_FALSE(matches(item("eq", "id", 9007199254740992LL), record));
}

TEST(AutotaskQueryFilter, OrderingOperatorsCompareStringsIgnoringCase) {
  EXPECT_TRUE(matches(item("gt", "companyName", "ACME A")));
  EXPECT_TRUE(matches(item("lt", "companyName", "b")));
  EXPECT_TRUE(matches(item("gte", "companyName", "acme corporation")));
  EXPECT_TRUE(matches(item("lte", "companyName", "ACME CORPORATION")));
}

TEST(AutotaskQueryFilter, NumericValueMatchesNumericTextField) {
  EXPECT_TRUE(matches(item("eq", "postalCode", 62704)));
  EXPECT_TRUE(matches(item("gt", "postalCode", 60000)));
  EXPECT_FALSE(matches(item("eq", "companyName", 5)));
}

TEST(AutotaskQueryFilter, TextValueMatchesNumberFieldWhenNumeric) {
  EXPECT_TRUE(matches(item("eq", "id", "101")));
  EXPECT_FALSE(matches(item("eq", "id", "one")));
}

TEST(AutotaskQueryFilter, BeginsWithEndsWithAndContainsIgnoreCase) {
  EXPECT_TRUE(matches(item("beginsWith", "companyName", "acme")));
  EXPECT_FALSE(matches(item("beginsWith", "companyName", "corp")));
  EXPECT_TRUE(matches(item("endsWith", "companyName", "CORPORATION")));
  EXPECT_FALSE(matches(item("endsWith", "companyName", "acme")));
  EXPECT_TRUE(matches(item("contains", "companyName", "E cOrP")));
  EXPECT_FALSE(matches(item("contains", "companyName", "globex")));
  EXPECT_FALSE(matches(item("beginsWith", "companyName", "Acme Corporation Ltd")));
  EXPECT_TRUE(matches(item("contains", "companyName", "")));
}

TEST(AutotaskQueryFilter, StringOperatorsSeeNumbersAsText) {
  EXPECT_TRUE(matches(item("beginsWith", "id", "10")));
  EXPECT_TRUE(matches(item("endsWith", "id", 1)));
  EXPECT_TRUE(matches(item("contains", "phone", 555)));
  EXPECT_FALSE(matches(item("contains", "isActive", "tru")));
}

TEST(AutotaskQueryFilter, ExistAndNotExistTestForPresentNonNullValues) {
  EXPECT_TRUE(matches(item("exist", "companyName")));
  EXPECT_FALSE(matches(item("exist", "classification")));  // null
  EXPECT_FALSE(matches(item("exist", "nickName")));        // absent
  EXPECT_FALSE(matches(item("notExist", "companyName")));
  EXPECT_TRUE(matches(item("notExist", "classification")));
  EXPECT_TRUE(matches(item("notExist", "nickName")));
}

TEST(AutotaskQueryFilter, ExistIgnoresAnyValue) {
  EXPECT_TRUE(matches(item("exist", "id", "ignored")));
  EXPECT_TRUE(matches(item("notExist", "nickName", json::array())));
}

TEST(AutotaskQueryFilter, InMatchesAnyListedValue) {
  EXPECT_TRUE(matches(item("in", "companyType", {1, 2})));
  EXPECT_FALSE(matches(item("in", "companyType", {2, 3})));
  EXPECT_TRUE(matches(item("in", "companyName", {"x", "acme corporation"})));
  EXPECT_TRUE(matches(item("in", "id", {"101"})));
}

TEST(AutotaskQueryFilter, NotInMatchesWhenNoListedValueEquals) {
  EXPECT_TRUE(matches(item("notIn", "companyType", {2, 3})));
  EXPECT_FALSE(matches(item("notIn", "companyType", {1, 3})));
  EXPECT_FALSE(matches(item("notIn", "companyName", {"ACME CORPORATION"})));
}

TEST(AutotaskQueryFilter, BooleansCompareWithBoolFields) {
  EXPECT_TRUE(matches(item("eq", "isActive", true)));
  EXPECT_FALSE(matches(item("eq", "isActive", false)));
  EXPECT_TRUE(matches(item("noteq", "isActive", false)));
}

TEST(AutotaskQueryFilter, BooleansAndOneZeroAreInterchangeable) {
  EXPECT_TRUE(matches(item("eq", "isActive", true), contact()));  // Contact.isActive is 1/0
  EXPECT_FALSE(matches(item("eq", "isActive", false), contact()));
  EXPECT_TRUE(matches(item("eq", "isActive", 1)));  // Company.isActive is a bool
  EXPECT_FALSE(matches(item("eq", "isActive", 0)));
  EXPECT_FALSE(matches(item("eq", "isActive", 2)));
}

TEST(AutotaskQueryFilter, BooleanTextComparesWithBoolField) {
  EXPECT_TRUE(matches(item("eq", "isActive", "true")));
  EXPECT_TRUE(matches(item("eq", "isActive", "TRUE")));
  EXPECT_FALSE(matches(item("eq", "isActive", "yes")));
  EXPECT_FALSE(matches(item("eq", "companyName", true)));
}

// ---------------------------------------------------------------------------------------------
// Datetimes

TEST(AutotaskQueryFilter, DatetimeStringsCompareAsInstants) {
  EXPECT_TRUE(matches(item("gt", "lastActivityDate", "2026-01-01T00:00:00.000000Z")));  // djautotask's form
  EXPECT_FALSE(matches(item("gt", "lastActivityDate", "2026-02-01T00:00:00Z")));
  EXPECT_TRUE(matches(item("gte", "lastTrackedModifiedDateTime", "2026-01-10T00:00:00Z")));
  EXPECT_TRUE(matches(item("lt", "createDate", "2019-08-12T14:16:55.31Z")));
  EXPECT_TRUE(matches(item("gt", "createDate", "2019-08-12T14:16:55Z")));
  EXPECT_TRUE(matches(item("lte", "createDate", "2020-01-01")));
}

TEST(AutotaskQueryFilter, DatetimesInDifferentSpellingsOfOneInstantAreEqual) {
  EXPECT_TRUE(matches(item("eq", "lastTrackedModifiedDateTime", "2026-01-10T00:00:00.0000000Z")));
  EXPECT_TRUE(matches(item("eq", "lastTrackedModifiedDateTime", "2026-01-10T01:00:00+01:00")));
  EXPECT_TRUE(matches(item("eq", "lastTrackedModifiedDateTime", "2026-01-10T00:00:00")));
  EXPECT_TRUE(matches(item("eq", "createDate", "2019-08-12T14:16:55.300Z")));
  EXPECT_TRUE(matches(item("eq", "lastActivityDate", "2026-01-15T10:30:00.123456Z")));  // 7th digit truncated
}

TEST(AutotaskQueryFilter, DatetimeValueAgainstNonDatetimeFieldComparesAsText) {
  EXPECT_FALSE(matches(item("eq", "companyName", "2026-01-10T00:00:00Z")));
  EXPECT_TRUE(matches(item("gt", "companyName", "2026-01-10T00:00:00Z")));  // "acme..." > "2026..."
}

// ---------------------------------------------------------------------------------------------
// Structure

TEST(AutotaskQueryFilter, TopLevelItemsAreAnded) {
  EXPECT_TRUE(matches(json::array({item("eq", "id", 101), item("eq", "isActive", true)})));
  EXPECT_FALSE(matches(json::array({item("eq", "id", 101), item("eq", "isActive", false)})));
}

TEST(AutotaskQueryFilter, OrGroupMatchesAnyItem) {
  EXPECT_TRUE(matches(group("or", {item("eq", "id", 1), item("eq", "id", 101)})));
  EXPECT_FALSE(matches(group("or", {item("eq", "id", 1), item("eq", "id", 2)})));
}

TEST(AutotaskQueryFilter, AndGroupNeedsEveryItem) {
  EXPECT_TRUE(matches(group("and", {item("eq", "id", 101), item("exist", "phone")})));
  EXPECT_FALSE(matches(group("and", {item("eq", "id", 101), item("exist", "classification")})));
}

TEST(AutotaskQueryFilter, GroupsNestArbitrarily) {
  // id = 1 or (isActive and (companyType = 9 or name begins with acme))
  const json nested = group(
      "or", {item("eq", "id", 1),
             group("and", {item("eq", "isActive", true),
                           group("or", {item("eq", "companyType", 9), item("beginsWith", "companyName", "acme")})})});
  EXPECT_TRUE(matches(nested));
  const json failing = group(
      "or", {item("eq", "id", 1),
             group("and", {item("eq", "isActive", true),
                           group("or", {item("eq", "companyType", 9), item("beginsWith", "companyName", "glob")})})});
  EXPECT_FALSE(matches(failing));
  EXPECT_TRUE(matches(json::array({nested, item("gt", "id", 0)})));
}

TEST(AutotaskQueryFilter, SelectAllIdiomsMatchEveryRecord) {
  EXPECT_TRUE(matches(item("exist", "id")));
  EXPECT_TRUE(matches(item("gte", "id", 0)));
  EXPECT_TRUE(matches(item("gte", "id", 0), contact()));
}

// ---------------------------------------------------------------------------------------------
// UDFs and names

TEST(AutotaskQueryFilter, UdfItemsCompareUserDefinedFields) {
  EXPECT_TRUE(matches(udf("eq", "Region", "north")));
  EXPECT_TRUE(matches(udf("eq", "region", "NORTH")));  // UDF names ignore case too
  EXPECT_FALSE(matches(udf("eq", "Region", "South")));
  EXPECT_TRUE(matches(udf("gt", "Seats", 20)));  // numeric text
  EXPECT_FALSE(matches(udf("gt", "Seats", 25)));
  EXPECT_TRUE(matches(udf("in", "Region", {"South", "North"})));
  EXPECT_TRUE(matches(udf("lt", "Renewal", "2026-07-01T00:00:00Z")));
  EXPECT_TRUE(matches(udf("beginsWith", "Region", "no")));
}

TEST(AutotaskQueryFilter, UdfExistTreatsNullAndMissingAsAbsent) {
  EXPECT_TRUE(matches(udf("exist", "Region", nullptr)));
  EXPECT_FALSE(matches(udf("exist", "Empty", nullptr)));
  EXPECT_TRUE(matches(udf("notExist", "Empty", nullptr)));
  EXPECT_TRUE(matches(udf("notExist", "NoSuchUdf", nullptr)));
  EXPECT_FALSE(matches(udf("eq", "Region", "North"), contact()));  // no userDefinedFields at all
}

TEST(AutotaskQueryFilter, UdfFalseMeansAnOrdinaryField) {
  json i = item("eq", "companyName", "Acme Corporation");
  i["udf"] = false;
  EXPECT_TRUE(matches(i));
  EXPECT_FALSE(matches(udf("eq", "companyName", "Acme Corporation")));  // not a UDF
}

TEST(AutotaskQueryFilter, FieldNamesIgnoreCase) {
  EXPECT_TRUE(matches(item("eq", "COMPANYNAME", "acme corporation")));
  EXPECT_TRUE(matches(item("eq", "ID", 101)));
  EXPECT_TRUE(matches(item("exist", "MARKETSEGMENTID")));
  EXPECT_FALSE(matches(item("exist", "ParentCompanyId")));
}

TEST(AutotaskQueryFilter, KeysAndOperatorNamesIgnoreCase) {
  EXPECT_TRUE(matches(json{{"Op", "EQ"}, {"Field", "id"}, {"Value", 101}}));
  EXPECT_TRUE(matches(item("BEGINSWITH", "companyName", "acme")));
  EXPECT_TRUE(matches(item("NotIn", "id", {1})));
  EXPECT_TRUE(matches(json{{"op", "OR"}, {"Items", {item("eq", "id", 101)}}}));
  EXPECT_TRUE(matches(json{{"op", "eq"}, {"field", "Region"}, {"value", "North"}, {"UDF", true}}));
  const auto q = query({{"Filter", {item("eq", "id", 101)}}, {"maxRecords", 10}, {"includeFields", {"companyName"}}});
  EXPECT_TRUE(q.filter.matches(company()));
  EXPECT_EQ(q.max_records, 10);
  EXPECT_EQ(q.include_fields, std::vector<std::string>{"companyName"});
}

// ---------------------------------------------------------------------------------------------
// The query envelope

TEST(AutotaskQueryFilter, DefaultsAreAllFieldsAndFiveHundredRecords) {
  const auto q = query({{"filter", {item("exist", "id")}}});
  EXPECT_EQ(q.max_records, 500);
  EXPECT_TRUE(q.include_fields.empty());
}

TEST(AutotaskQueryFilter, MaxRecordsAndIncludeFieldsAreRead) {
  const auto q = query({{"MaxRecords", 25}, {"IncludeFields", {"id", "companyName"}}, {"filter", {item("exist", "id")}}});
  EXPECT_EQ(q.max_records, 25);
  EXPECT_EQ(q.include_fields, (std::vector<std::string>{"id", "companyName"}));
  EXPECT_EQ(query({{"MaxRecords", 1}, {"filter", {item("exist", "id")}}}).max_records, 1);
  EXPECT_EQ(query({{"MaxRecords", 500}, {"filter", {item("exist", "id")}}}).max_records, 500);
  EXPECT_EQ(query({{"MaxRecords", nullptr}, {"filter", {item("exist", "id")}}}).max_records, 500);
}

TEST(AutotaskQueryFilter, UnknownTopLevelKeysAreIgnored) {
  EXPECT_TRUE(query({{"filter", {item("exist", "id")}}, {"somethingElse", 1}}).filter.matches(company()));
}

TEST(AutotaskQueryFilter, QueryTextIsParsedLikeTheBody) {
  auto r = at::parse_query_text(
      R"({"MaxRecords":50,"IncludeFields":["id"],"filter":[{"op":"or","items":[{"op":"eq","field":"id","value":1},)"
      R"({"op":"contains","field":"companyName","value":"acme"}]}]})");
  ASSERT_TRUE(std::holds_alternative<at::Query>(r));
  const auto& q = std::get<at::Query>(r);
  EXPECT_EQ(q.max_records, 50);
  EXPECT_TRUE(q.filter.matches(company()));
  EXPECT_FALSE(q.filter.matches(contact()));
}

TEST(AutotaskQueryFilter, DefaultFilterMatchesEverything) { EXPECT_TRUE(at::Filter{}.matches(json())); }

TEST(AutotaskQueryFilter, NonObjectRecordsNeverMatchComparisons) {
  const auto q = query({{"filter", {item("eq", "id", 1)}}});
  EXPECT_FALSE(q.filter.matches(json(1)));
  EXPECT_FALSE(q.filter.matches(json::array({{{"id", 1}}})));
  EXPECT_TRUE(query({{"filter", {item("notExist", "id")}}}).filter.matches(json("text")));
}

TEST(AutotaskQueryFilter, CompiledFilterIsReusableAndCopyable) {
  const auto q = query({{"filter", {group("or", {item("in", "id", {1, 2}), item("eq", "name", "x")})}}});
  const at::Query copy = q;  // NOLINT(performance-unnecessary-copy-initialization)
  int hits = 0;
  for (int i = 0; i < 1000; ++i) {
    const json r = {{"id", i % 4}, {"name", i % 7 == 0 ? "X" : "y"}};
    EXPECT_EQ(q.filter.matches(r), copy.filter.matches(r));
    hits += copy.filter.matches(r) ? 1 : 0;
  }
  EXPECT_GT(hits, 0);
}

// ---------------------------------------------------------------------------------------------
// Validation errors

TEST(AutotaskQueryErrors, FilterIsRequired) {
  const std::string m = "The query requires at least one filter item.";
  EXPECT_EQ(error_of(json::object()), m);
  EXPECT_EQ(error_of({{"filter", json::array()}}), m);
  EXPECT_EQ(error_of({{"filter", nullptr}}), m);
  EXPECT_EQ(error_of({{"MaxRecords", 10}}), m);
}

TEST(AutotaskQueryErrors, FilterMustBeAnArray) {
  EXPECT_EQ(error_of({{"filter", item("eq", "id", 1)}}), "The 'filter' property must be an array of filter items.");
  EXPECT_EQ(error_of({{"filter", "id eq 1"}}), "The 'filter' property must be an array of filter items.");
}

TEST(AutotaskQueryErrors, BodyMustBeAnObject) {
  EXPECT_EQ(error_of(json::array({item("eq", "id", 1)})), "The query must be a JSON object with a 'filter' array.");
  EXPECT_EQ(error_of(json("x")), "The query must be a JSON object with a 'filter' array.");
}

TEST(AutotaskQueryErrors, UnknownOperatorIsRejected) {
  const std::string valid =
      "Valid operations are: eq, noteq, gt, gte, lt, lte, beginsWith, endsWith, contains, exist, notExist, in, "
      "notIn, and, or.";
  EXPECT_EQ(filter_error(item("ne", "id", 1)), "Invalid filter operation 'ne'. " + valid);
  EXPECT_EQ(filter_error(item("like", "companyName", "a*")), "Invalid filter operation 'like'. " + valid);
  EXPECT_EQ(filter_error(item("", "id", 1)), "Invalid filter operation ''. " + valid);
  EXPECT_EQ(filter_error(item("not", "id", 1)), "Invalid filter operation 'not'. " + valid);
}

TEST(AutotaskQueryErrors, OperatorMustBePresentAndAString) {
  EXPECT_EQ(filter_error({{"field", "id"}, {"value", 1}}), "A filter item is missing the 'op' property.");
  EXPECT_EQ(filter_error({{"op", nullptr}, {"field", "id"}}), "A filter item is missing the 'op' property.");
  EXPECT_EQ(filter_error({{"op", 1}, {"field", "id"}}), "The 'op' property of a filter item must be a string.");
}

TEST(AutotaskQueryErrors, ItemsMustBeObjects) {
  EXPECT_EQ(error_of({{"filter", {5}}}), "Each filter item must be an object with an 'op' property.");
  EXPECT_EQ(error_of({{"filter", {"eq"}}}), "Each filter item must be an object with an 'op' property.");
  EXPECT_EQ(filter_error(group("or", {json::array()})), "Each filter item must be an object with an 'op' property.");
}

TEST(AutotaskQueryErrors, FieldIsRequired) {
  EXPECT_EQ(filter_error({{"op", "eq"}, {"value", 1}}), "The 'eq' filter is missing the 'field' property.");
  EXPECT_EQ(filter_error({{"op", "exist"}}), "The 'exist' filter is missing the 'field' property.");
  EXPECT_EQ(filter_error(item("eq", "", 1)), "The 'eq' filter is missing the 'field' property.");
  EXPECT_EQ(filter_error({{"op", "beginswith"}, {"field", nullptr}, {"value", "a"}}),
            "The 'beginsWith' filter is missing the 'field' property.");
  EXPECT_EQ(filter_error({{"op", "eq"}, {"field", 5}, {"value", 1}}), "The 'field' property of the 'eq' filter must be a string.");
}

TEST(AutotaskQueryErrors, ValueIsRequiredExceptForExistence) {
  EXPECT_EQ(filter_error(item("eq", "id")), "The 'eq' filter on field 'id' requires a value.");
  EXPECT_EQ(filter_error(item("gt", "id", nullptr)), "The 'gt' filter on field 'id' requires a value.");
  EXPECT_EQ(filter_error(item("in", "id")), "The 'in' filter on field 'id' requires a value.");
  EXPECT_EQ(filter_error(item("contains", "companyName")), "The 'contains' filter on field 'companyName' requires a value.");
}

TEST(AutotaskQueryErrors, SingleValueOperatorsRejectArraysAndObjects) {
  EXPECT_EQ(filter_error(item("eq", "id", {1, 2})),
            "The 'eq' filter on field 'id' requires a single value: an integer, a string, true or false.");
  EXPECT_EQ(filter_error(item("noteq", "id", json::object())),
            "The 'noteq' filter on field 'id' requires a single value: an integer, a string, true or false.");
}

TEST(AutotaskQueryErrors, StringOperatorsRejectBooleans) {
  EXPECT_EQ(filter_error(item("contains", "companyName", true)), "The 'contains' filter on field 'companyName' requires a string value.");
  EXPECT_EQ(filter_error(item("endsWith", "companyName", false)), "The 'endsWith' filter on field 'companyName' requires a string value.");
}

TEST(AutotaskQueryErrors, InAndNotInNeedANonEmptyArrayOfIntegersOrStrings) {
  EXPECT_EQ(filter_error(item("in", "id", 1)), "The 'in' filter on field 'id' requires an array value.");
  EXPECT_EQ(filter_error(item("notIn", "id", "1,2")), "The 'notIn' filter on field 'id' requires an array value.");
  EXPECT_EQ(filter_error(item("in", "id", json::array())), "The 'in' filter on field 'id' requires at least one value.");
  EXPECT_EQ(filter_error(item("in", "id", {1, true})), "The 'in' filter on field 'id' may only list integers and strings.");
  EXPECT_EQ(filter_error(item("notIn", "id", {nullptr})), "The 'notIn' filter on field 'id' may only list integers and strings.");
  EXPECT_EQ(filter_error(item("in", "id", {{1, 2}})), "The 'in' filter on field 'id' may only list integers and strings.");
}

TEST(AutotaskQueryErrors, UdfFlagMustBeBoolean) {
  json i = item("eq", "Region", "North");
  i["udf"] = "yes";
  EXPECT_EQ(filter_error(i), "The 'udf' property of the filter on field 'Region' must be true or false.");
  i["udf"] = 1;
  EXPECT_EQ(filter_error(i), "The 'udf' property of the filter on field 'Region' must be true or false.");
}

TEST(AutotaskQueryErrors, GroupsNeedANonEmptyItemsArray) {
  EXPECT_EQ(filter_error({{"op", "or"}}), "The 'or' filter requires a non-empty 'items' array.");
  EXPECT_EQ(filter_error(group("and", json::array())), "The 'and' filter requires a non-empty 'items' array.");
  EXPECT_EQ(filter_error(group("or", item("eq", "id", 1))), "The 'or' filter requires a non-empty 'items' array.");
}

TEST(AutotaskQueryErrors, ErrorsInsideNestedGroupsAreReported) {
  const json body = {{"filter", {item("exist", "id"), group("or", {item("eq", "id", 1), group("and", {item("eq", "id")})})}}};
  EXPECT_EQ(error_of(body), "The 'eq' filter on field 'id' requires a value.");
}

TEST(AutotaskQueryErrors, MaxRecordsMustBeOneToFiveHundred) {
  const std::string m = "MaxRecords must be an integer between 1 and 500.";
  for (const json& bad : {json(0), json(501), json(-1), json("10"), json(10.5), json(true), json(1e20),
                          json(18446744073709551615ULL), json::array({10})}) {
    EXPECT_EQ(error_of({{"MaxRecords", bad}, {"filter", {item("exist", "id")}}}), m) << bad.dump();
  }
}

TEST(AutotaskQueryErrors, IncludeFieldsMustBeAnArrayOfNames) {
  const std::string m = "IncludeFields must be an array of field names.";
  EXPECT_EQ(error_of({{"IncludeFields", "id"}, {"filter", {item("exist", "id")}}}), m);
  EXPECT_EQ(error_of({{"IncludeFields", {1}}, {"filter", {item("exist", "id")}}}), m);
  EXPECT_EQ(error_of({{"IncludeFields", {""}}, {"filter", {item("exist", "id")}}}), m);
}

TEST(AutotaskQueryErrors, DeepNestingIsRejectedNotCrashing) {
  json deep = item("eq", "id", 101);
  for (int i = 0; i < 200; ++i) deep = group("or", {deep});
  EXPECT_EQ(filter_error(deep), "The filter is nested too deeply (more than 32 levels).");
  json ok = item("eq", "id", 101);
  for (int i = 0; i < 31; ++i) ok = group(i % 2 ? "or" : "and", {ok});
  EXPECT_TRUE(matches(ok));
}

TEST(AutotaskQueryErrors, UnknownFieldIsRejectedWhenTheEntityIsKnown) {
  const std::set<std::string> known = {"id", "companyname"};
  at::ParseOptions options;
  options.entity_name = "TimeEntry";
  options.is_known_field = [&](std::string_view f) {
    std::string lower(f);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return known.count(lower) > 0;
  };
  EXPECT_EQ(error_of({{"filter", {item("eq", "projectID", 1)}}}, options), "Unable to find projectID in the TimeEntry Entity");
  EXPECT_TRUE(std::holds_alternative<at::Query>(at::parse_query({{"filter", {item("eq", "CompanyName", "x")}}}, options)));
  EXPECT_TRUE(std::holds_alternative<at::Query>(at::parse_query({{"filter", {udf("eq", "Region", "x")}}}, options)));
}

TEST(AutotaskQueryErrors, InvalidJsonTextIsAnError) {
  auto r = at::parse_query_text(R"({"filter":[)");
  ASSERT_TRUE(std::holds_alternative<at::QueryError>(r));
  EXPECT_EQ(std::get<at::QueryError>(r).message, "The query is not valid JSON (syntax error at byte 12).");
  auto empty = at::parse_query_text("");
  ASSERT_TRUE(std::holds_alternative<at::QueryError>(empty));
  EXPECT_EQ(std::get<at::QueryError>(empty).message, "The query is not valid JSON (syntax error at byte 1).");
  auto big = at::parse_query_text(R"({"filter":[{"op":"gt","field":"id","value":1e999}]})");
  ASSERT_TRUE(std::holds_alternative<at::QueryError>(big));
}

TEST(AutotaskQueryErrors, NonAsciiAndLongTextIsNotEchoedRaw) {
  const auto m = filter_error(item("\xC3\xA9q", "id", 1));
  EXPECT_EQ(m.substr(0, 33), "Invalid filter operation '??q'. V");
  EXPECT_NO_THROW((void)json(m).dump());
  const auto longer = filter_error(item("eq", std::string(300, 'f'), nullptr));
  EXPECT_EQ(longer, "The 'eq' filter on field '" + std::string(60, 'f') + "...' requires a value.");
}

TEST(AutotaskQueryErrors, RandomBodiesNeverCrash) {
  std::mt19937 rng(20261124);
  const std::vector<json> leaves = {json(1),        json(-7),    json("Acme"), json(true),    json(nullptr),
                                    json(2.5),      json("eq"),  json("or"),   json("items"), json::array(),
                                    json::object(), json("in"),  json("id"),   json("2026-01-01T00:00:00Z")};
  const std::vector<std::string> keys = {"op", "field", "value", "items", "udf", "Op", "FIELD", "x"};
  const std::vector<std::string> ops = {"eq", "noteq", "gt", "gte", "lt", "lte", "beginsWith", "endsWith", "contains",
                                        "exist", "notExist", "in", "notIn", "and", "or", "bogus"};
  const std::vector<std::string> fields = {"id", "companyName", "isActive", "createDate", "Region", "nothing", ""};
  std::function<json(int)> make = [&](int depth) -> json {
    const int kind = static_cast<int>(rng() % 6);
    if (depth > 4 || kind == 0) return leaves[rng() % leaves.size()];
    if (kind >= 4) {  // mostly well-formed, so evaluation gets exercised too
      json o = {{"op", ops[rng() % ops.size()]}, {"field", fields[rng() % fields.size()]}};
      if (rng() % 4 != 0) o["value"] = rng() % 3 ? leaves[rng() % leaves.size()] : json::array({1, "x"});
      if (rng() % 5 == 0) o["udf"] = true;
      if (rng() % 3 == 0) o["items"] = json::array({make(depth + 1), make(depth + 1)});
      return o;
    }
    if (kind == 1) {
      json a = json::array();
      for (unsigned n = rng() % 4; n > 0; --n) a.push_back(make(depth + 1));
      return a;
    }
    json o = json::object();
    for (unsigned n = rng() % 5; n > 0; --n) o[keys[rng() % keys.size()]] = make(depth + 1);
    return o;
  };
  int parsed = 0;
  for (int i = 0; i < 3000; ++i) {
    json f = json::array();
    for (unsigned n = 1 + rng() % 3; n > 0; --n) f.push_back(make(0));
    auto r = at::parse_query({{"filter", f}});
    if (auto* q = std::get_if<at::Query>(&r)) {
      ++parsed;
      EXPECT_NO_THROW((void)q->filter.matches(company()));
    } else {
      EXPECT_NO_THROW((void)json(std::get<at::QueryError>(r).message).dump());
    }
  }
  EXPECT_GT(parsed, 0);
}

// ---------------------------------------------------------------------------------------------
// IncludeFields projection

TEST(AutotaskIncludeFields, KeepsOnlyListedFieldsAndId) {
  EXPECT_EQ(at::project_include_fields(company(), {"companyName", "phone"}),
            json({{"id", 101}, {"companyName", "Acme Corporation"}, {"phone", "555-0100"}}));
}

TEST(AutotaskIncludeFields, IdIsKeptEvenWhenNotListed) {
  EXPECT_EQ(at::project_include_fields(company(), {"city"}), json({{"id", 101}}));
}

TEST(AutotaskIncludeFields, NamesMatchIgnoringCaseButKeepRecordSpelling) {
  EXPECT_EQ(at::project_include_fields(company(), {"COMPANYNAME", "Id"}),
            json({{"id", 101}, {"companyName", "Acme Corporation"}}));
}

TEST(AutotaskIncludeFields, NullFieldsAndUdfsAreKeptWhenListed) {
  const json out = at::project_include_fields(company(), {"classification", "userDefinedFields"});
  EXPECT_EQ(out.size(), 3u);
  EXPECT_TRUE(out["classification"].is_null());
  EXPECT_EQ(out["userDefinedFields"], company()["userDefinedFields"]);
}

TEST(AutotaskIncludeFields, EmptyListKeepsTheWholeRecord) {
  EXPECT_EQ(at::project_include_fields(company(), {}), company());
}

TEST(AutotaskIncludeFields, NonObjectRecordsPassThrough) {
  EXPECT_EQ(at::project_include_fields(json(3), {"id"}), json(3));
}
