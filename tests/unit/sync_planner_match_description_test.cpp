// A sync that keeps only its notable actions describes the match key of those alone: a first sync
// creates a million configurations whose descriptions nobody reads (PlanOptions::describe_every_match).
#include <gtest/gtest.h>

#include "sync/planner.h"

using namespace cairn;
using core::SyncEntity;

namespace {

core::PsaRecord configuration(const std::string& psa_id, const std::string& name, const std::string& type) {
  core::PsaRecord r;
  r.entity = SyncEntity::Configuration;
  r.psa_id = psa_id;
  r.fields["name"] = core::Value(name);
  r.refs["organization_id"] = core::PsaRef{SyncEntity::Organization, "1"};
  r.type_names = {type};
  r.status_name = "Active";
  return r;
}

// The actions for a configuration that is created and one whose type does not sync.
std::vector<sync::Action> plan(bool describe_every_match) {
  sync::LocalState local;
  local.links[SyncEntity::Organization]["1"] = sync::LinkInfo{10, "", "syncing", false};
  core::SyncSettings settings;
  settings.config_types = {"Server"};
  settings.config_statuses = {"Active"};
  sync::PlanOptions options;
  options.describe_every_match = describe_every_match;
  sync::Planner planner("connectwise", settings, local, options);
  std::vector<sync::Action> out;
  for (const auto& r : {configuration("100", "srv-1", "Server"), configuration("101", "prn-1", "Printer")})
    for (auto& a : planner.add(r)) out.push_back(std::move(a));
  return out;
}

}  // namespace

TEST(PlannerMatchDescription, EveryActionDescribed_OrOnlyTheNotableOnes_AndThePlanIsOtherwiseTheSame) {
  const auto every = plan(true);
  const auto notable = plan(false);
  ASSERT_EQ(every.size(), 2u);
  ASSERT_EQ(notable.size(), 2u);
  EXPECT_EQ(every[0].kind, sync::ActionKind::Create);
  EXPECT_EQ(every[1].kind, sync::ActionKind::Skip);
  EXPECT_NE(every[0].match_key.find("srv-1"), std::string::npos) << every[0].match_key;
  EXPECT_NE(every[1].match_key.find("prn-1"), std::string::npos) << every[1].match_key;

  EXPECT_EQ(notable[0].match_key, "");                 // a plain create: nobody reads it
  EXPECT_EQ(notable[1].match_key, every[1].match_key);  // a skip is kept, with its key
  for (size_t i = 0; i < every.size(); ++i) {
    EXPECT_EQ(notable[i].kind, every[i].kind);
    EXPECT_EQ(notable[i].reason, every[i].reason);
    EXPECT_EQ(notable[i].fingerprint, every[i].fingerprint);
    ASSERT_EQ(notable[i].changes.size(), every[i].changes.size());
    for (size_t c = 0; c < every[i].changes.size(); ++c) {
      EXPECT_EQ(notable[i].changes[c].field, every[i].changes[c].field);
      EXPECT_EQ(notable[i].changes[c].new_text, every[i].changes[c].new_text);
    }
  }
}

namespace {

// Plans configurations into company 1 (linked to organization 10), where Cairn holds one unlinked
// server named `near_name` that loosely matches a PSA name, as a sync keeping only its notable
// actions does.
std::vector<sync::Action> plan_near(const std::string& near_name, const std::vector<core::PsaRecord>& records,
                                    bool texts_for_every_create) {
  sync::LocalState local;
  local.links[SyncEntity::Organization]["1"] = sync::LinkInfo{10, "", "syncing", false};
  local.lookups.add("configuration_types", "Server", 5);
  sync::LocalRecord near;
  near.id = 77;
  near.label = near_name;
  near.values = {{"organization_id", core::Value(std::int64_t{10})},
                 {"configuration_type_id", core::Value(std::int64_t{5})},
                 {"name", core::Value(near_name)}};
  local.unlinked[SyncEntity::Configuration] =
      std::make_unique<sync::LocalIndex>(sync::match_key("connectwise", SyncEntity::Configuration));
  local.unlinked[SyncEntity::Configuration]->add(near);
  core::SyncSettings settings;
  settings.config_types = {"Server"};
  settings.config_statuses = {"Active"};
  sync::PlanOptions options;
  options.describe_every_match = false;
  options.texts_for_every_create = texts_for_every_create;
  sync::Planner planner("connectwise", settings, local, options);
  std::vector<sync::Action> out;
  for (const auto& r : records)
    for (auto& a : planner.add(r)) out.push_back(std::move(a));
  return out;
}

}  // namespace

TEST(PlannerMatchDescription, ACreateWithANearMiss_KeepsItsDescription_WhenOnlyTheNotableOnesAreDescribed) {
  // The create takes its values on into its changes: its key must be described before that.
  // "SRV 1" is not "srv-1", but loosely it is.
  auto actions = plan_near("SRV 1", {configuration("100", "srv-1", "Server")}, false);
  ASSERT_EQ(actions.size(), 1u);
  const auto& a = actions[0];
  EXPECT_EQ(a.kind, sync::ActionKind::Create);
  ASSERT_EQ(a.near_misses.size(), 1u);
  EXPECT_NE(a.near_misses[0].find("77 (SRV 1)"), std::string::npos) << a.near_misses[0];
  EXPECT_EQ(a.match_key, "organization_id=10, configuration_type_id=Server, name=srv-1");
  // And the create still sets what the PSA gave.
  bool named = false;
  for (const auto& c : a.changes)
    if (c.field == "name") named = c.new_value == core::Value("srv-1") && c.new_text == "srv-1";
  EXPECT_TRUE(named);
}

TEST(PlannerMatchDescription, ACreatesTexts_AreLeftOutWhenNobodyReadsThem_AndKeptForACreateWithANearMiss) {
  // "SRV 2" is a near miss of the second configuration only.
  auto plan_two = [](bool texts_for_every_create) {
    return plan_near("SRV 2", {configuration("100", "srv-1", "Server"), configuration("101", "srv-2", "Server")},
                     texts_for_every_create);
  };
  const auto with = plan_two(true);
  const auto without = plan_two(false);
  ASSERT_EQ(with.size(), 2u);
  ASSERT_EQ(without.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(without[i].kind, sync::ActionKind::Create);
    ASSERT_EQ(without[i].changes.size(), with[i].changes.size());
    for (size_t c = 0; c < with[i].changes.size(); ++c) {
      EXPECT_EQ(without[i].changes[c].field, with[i].changes[c].field);
      EXPECT_EQ(without[i].changes[c].new_value, with[i].changes[c].new_value) << with[i].changes[c].field;
      EXPECT_EQ(without[i].changes[c].target, with[i].changes[c].target);
    }
  }
  // The plain create: its values alone. With texts: a name for the type, "(none)" before.
  bool typed = false;
  for (size_t c = 0; c < with[0].changes.size(); ++c) {
    EXPECT_EQ(without[0].changes[c].new_text, "");
    EXPECT_EQ(without[0].changes[c].old_text, "");
    if (with[0].changes[c].field == "configuration_type_id")
      typed = with[0].changes[c].new_text == "Server" && with[0].changes[c].old_text == "(none)";
  }
  EXPECT_TRUE(typed);
  // The create with a near miss is kept and shown: its texts are there either way.
  ASSERT_FALSE(without[1].near_misses.empty());
  for (size_t c = 0; c < with[1].changes.size(); ++c) {
    EXPECT_EQ(without[1].changes[c].new_text, with[1].changes[c].new_text);
    EXPECT_EQ(without[1].changes[c].old_text, with[1].changes[c].old_text);
  }
}
