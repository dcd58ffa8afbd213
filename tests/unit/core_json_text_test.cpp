// The JSON of create audit rows reads back as the object it stands for: names sorted, each once.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/json_text.h"

using namespace cairn;

TEST(JsonText, ReadsBackAsTheObject_WithQuotesControlCharactersAndUtf8) {
  const std::vector<std::pair<std::string_view, std::string_view>> members = {
      {"name", "Front \"desk\" PC\\1"}, {"notes", "tab\there\nline\x01\x1f\b\f end"},
      {"city", "Zürich"},              {"serial_number", ""}, {"asset_tag", "/slash/ and \x7f"}};
  nlohmann::json expected = nlohmann::json::object();
  for (const auto& [k, v] : members) expected[std::string(k)] = std::string(v);
  const std::string written = core::json_object_of_texts(members);
  EXPECT_EQ(nlohmann::json::parse(written), expected);
  EXPECT_EQ(written.rfind(R"({"asset_tag":)", 0), 0u) << written;  // sorted by name, as before
}

TEST(JsonText, ANameGivenTwiceKeepsTheLastText_AndNoMembersIsAnEmptyObject) {
  EXPECT_EQ(core::json_object_of_texts({{"b", "1"}, {"a", "2"}, {"b", "3"}}), R"({"a":"2","b":"3"})");
  EXPECT_EQ(core::json_object_of_texts({}), "{}");
}

// Texts are checked eight bytes at a time: a byte that needs escaping is found at any offset, in
// any word, beside plain ASCII and UTF-8 bytes alike.
TEST(JsonText, EveryByteThatNeedsEscaping_IsEscapedAtEveryOffset) {
  const std::string specials = std::string("\"\\\n\r\t\b\f\x01\x1f", 9) + std::string(1, '\0');
  const std::pair<std::string, size_t> plains[] = {{"abcdefghijklmnopqrstuvwxyz", 1},
                                                   {"\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc", 2}};  // between characters
  for (const auto& [plain, step] : plains) {
    for (char special : specials)
      for (size_t at = 0; at <= plain.size(); at += step) {
        std::string text = plain;
        text.insert(at, 1, special);
        const std::string written = core::json_object_of_texts({{"v", text}});
        EXPECT_EQ(nlohmann::json::parse(written)["v"], text) << "byte " << int(special) << " at " << at;
        EXPECT_EQ(written.find_first_of(std::string("\n\r\t\b\f\x01\x1f", 7)), std::string::npos) << written;
      }
  }
}
