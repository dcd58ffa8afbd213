// The hand-written JSON of create audit rows reads back as the object it stands for, and is
// byte-for-byte what nlohmann's dump wrote before it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/json_text.h"

using namespace cairn;

TEST(JsonText, SameBytesAsNlohmannsDump_ForQuotesControlCharactersAndUtf8) {
  const std::vector<std::pair<std::string_view, std::string>> members = {
      {"name", "Front \"desk\" PC\\1"}, {"notes", std::string("tab\there\nline\x01\x1f end")},
      {"city", "Zürich"},              {"serial_number", ""}, {"asset_tag", "/slash/ and \x7f"}};
  nlohmann::json expected = nlohmann::json::object();
  for (const auto& [k, v] : members) expected[std::string(k)] = v;
  const std::string written = core::json_object_of_texts(members);
  EXPECT_EQ(written, expected.dump());
  EXPECT_EQ(nlohmann::json::parse(written), expected);
}

TEST(JsonText, ANameGivenTwiceKeepsTheLastText_AndNoMembersIsAnEmptyObject) {
  EXPECT_EQ(core::json_object_of_texts({{"b", "1"}, {"a", "2"}, {"b", "3"}}), R"({"a":"2","b":"3"})");
  EXPECT_EQ(core::json_object_of_texts({}), "{}");
}

TEST(JsonText, InvalidUtf8IsRefusedAsNlohmannRefusedIt) {
  EXPECT_THROW(core::json_object_of_texts({{"name", std::string("bad \xff byte")}}), nlohmann::json::type_error);
}
