// ConnectWise PATCH operation arrays applied to a record's JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/connectwise/patch.h"

using cairn::sim::connectwise::apply_patch;
using nlohmann::json;

TEST(ConnectWisePatch, BareAndSlashPathsReplaceFieldsIgnoringCase) {
  json doc = {{"name", "a"}, {"status", {{"id", 1}, {"name", "Active"}}}};
  EXPECT_EQ(apply_patch(doc, json::parse(R"([{"op":"replace","path":"Name","value":"b"},
                                             {"op":"replace","path":"/status","value":{"id":2}}])")),
            "");
  EXPECT_EQ(doc["name"], "b");
  EXPECT_EQ(doc["status"], json({{"id", 2}}));
}

TEST(ConnectWisePatch, ArrayIndexesReachCommunicationItems) {
  json doc = {{"communicationItems", json::array({{{"value", "x@a"}}, {{"value", "555"}}})}};
  EXPECT_EQ(apply_patch(doc, json::parse(R"([{"op":"replace","path":"/communicationItems/1/value","value":"556"},
                                             {"op":"add","path":"/communicationItems/-","value":{"value":"new"}},
                                             {"op":"remove","path":"/communicationItems/0"}])")),
            "");
  ASSERT_EQ(doc["communicationItems"].size(), 2u);
  EXPECT_EQ(doc["communicationItems"][0]["value"], "556");
  EXPECT_EQ(doc["communicationItems"][1]["value"], "new");
}

TEST(ConnectWisePatch, FieldsLeftOutOfTheRecordCanBeReplaced) {
  json doc = {{"name", "a"}};  // null fields are not sent, so replace must create them
  EXPECT_EQ(apply_patch(doc, json::parse(R"([{"op":"replace","path":"site/id","value":4}])")), "");
  EXPECT_EQ(doc["site"]["id"], 4);
}

TEST(ConnectWisePatch, MalformedOperationsSayWhatIsWrong) {
  json doc = {{"items", json::array()}};
  EXPECT_NE(apply_patch(doc, json::object()).find("array"), std::string::npos);
  EXPECT_NE(apply_patch(doc, json::parse(R"([{"op":"move","path":"a"}])")).find("replace, add or remove"), std::string::npos);
  EXPECT_NE(apply_patch(doc, json::parse(R"([{"op":"replace","value":1}])")).find("path"), std::string::npos);
  EXPECT_NE(apply_patch(doc, json::parse(R"([{"op":"replace","path":"/items/3","value":1}])")).find("no element"),
            std::string::npos);
  EXPECT_NE(apply_patch(doc, json::parse(R"([{"op":"add","path":"x"}])")).find("value"), std::string::npos);
}
