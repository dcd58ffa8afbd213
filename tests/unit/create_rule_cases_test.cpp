// Data-driven create-rule tests (D16, R14-R16): each file under tests/cases/create/<psa>/ is one
// rule — a record saved in Cairn (its entity, the attributes that hold a value, its type and
// status), the integration's settings, and whether the PSA gets it or the reason the record
// shows ("psa-push-state": "not-pushed"). sync::why_not_created runs on them over the
// requirement table (psa/create_requirements.cpp), with no network and no database.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "sync/create_rules.h"

using namespace cairn;
using nlohmann::json;

namespace {

core::SyncEntity entity_of(const std::string& s) {
  if (s == "organization") return core::SyncEntity::Organization;
  if (s == "location") return core::SyncEntity::Location;
  if (s == "contact") return core::SyncEntity::Contact;
  if (s == "configuration") return core::SyncEntity::Configuration;
  throw std::invalid_argument("unknown entity " + s);
}

std::vector<std::filesystem::path> case_files() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(CAIRN_CASES_DIR "/create"))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class CreateRuleCase : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(CreateRuleCase, PushedOrNotAsExpected) {
  std::ifstream in(GetParam());
  const json c = json::parse(in);
  SCOPED_TRACE(c.value("rule", GetParam().string()));
  sync::CreateCandidate candidate;
  candidate.entity = entity_of(c.at("entity"));
  if (c.contains("type")) candidate.type_name = c["type"].get<std::string>();
  if (c.contains("status")) candidate.status_name = c["status"].get<std::string>();
  candidate.bulk = c.value("bulk", false);
  std::set<std::string> present;
  for (const auto& a : c.at("present")) present.insert(a.get<std::string>());
  candidate.has = [&](const std::string& attribute) { return present.count(attribute) > 0; };
  const auto settings = core::SyncSettings::from_json(c.at("settings").dump());

  const auto why = sync::why_not_created(c.at("psa"), candidate, settings);
  const json& expect = c.at("expect");
  if (expect == "created") {
    EXPECT_FALSE(why) << "expected a create, got: " << why.value_or("");
  } else {
    ASSERT_TRUE(why) << "expected not-pushed";
    EXPECT_EQ(*why, expect.at("not_pushed").get<std::string>());
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, CreateRuleCase, ::testing::ValuesIn(case_files()), [](const auto& info) {
  std::string name = info.param.parent_path().filename().string() + "_" + info.param.stem().string();
  for (auto& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
});

}  // namespace
