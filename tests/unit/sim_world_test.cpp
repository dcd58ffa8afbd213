// The PSA-neutral world seeds: deterministic, proportional, and holding the demo's edge cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "sim/world.h"
#include "sim/world_json.h"

using namespace cairn::sim;

TEST(SimWorld, SameSeedGivesTheSameWorldAndAnotherSeedDiffers) {
  EXPECT_EQ(world_to_json(make_demo_world(5)), world_to_json(make_demo_world(5)));
  EXPECT_NE(world_to_json(make_demo_world(5)), world_to_json(make_demo_world(6)));
  EXPECT_EQ(world_to_json(make_scale_world(500, 9)), world_to_json(make_scale_world(500, 9)));
}

TEST(SimWorld, DemoHoldsTheCasesASyncMustHandle) {
  const World w = make_demo_world(1);
  std::map<std::string, int> names;
  for (const auto& c : w.companies) ++names[c.name];
  EXPECT_EQ(names["Northwind Traders"], 2);  // exact duplicate names
  EXPECT_EQ(names["Acme, Inc."], 1);         // near misses
  EXPECT_EQ(names["Acme Inc"], 1);
  EXPECT_TRUE(std::any_of(w.companies.begin(), w.companies.end(), [](const Company& c) { return c.type_id == 2; }));
  EXPECT_TRUE(std::any_of(w.companies.begin(), w.companies.end(), [](const Company& c) { return c.parent_id != 0; }));
  EXPECT_TRUE(std::any_of(w.contacts.begin(), w.contacts.end(), [](const Contact& c) { return c.inactive; }));
  EXPECT_TRUE(std::any_of(w.configurations.begin(), w.configurations.end(),
                          [](const Configuration& c) { return c.mac_address.size() > 17; }));
  auto company_of_contact = [&](Id contact) {
    for (const auto& c : w.contacts)
      if (c.id == contact) return c.company_id;
    return Id{0};
  };
  EXPECT_TRUE(std::any_of(w.configurations.begin(), w.configurations.end(), [&](const Configuration& c) {
    return c.contact_id && company_of_contact(c.contact_id) != c.company_id;
  }));
  EXPECT_TRUE(std::any_of(w.sites.begin(), w.sites.end(),
                          [](const Site& s) { return !s.phone.empty() && !s.fax.empty(); }));
}

TEST(SimWorld, ScaleIsProportionalToConfigurations) {
  const World w = make_scale_world(10000, 1);
  EXPECT_EQ(w.configurations.size(), 10000u);
  EXPECT_EQ(w.companies.size(), 200u);
  EXPECT_EQ(w.contacts.size(), 2000u);
  EXPECT_EQ(w.sites.size(), 400u);
  for (const auto& c : w.configurations) {
    ASSERT_GE(c.company_id, 1);
    ASSERT_LE(c.company_id, 200);
  }
}

TEST(SimWorld, SeedSpecsAreParsedOrRefusedWithTheAcceptedForms) {
  auto scale = parse_seed_spec("scale:1000000");
  ASSERT_TRUE(std::holds_alternative<SeedSpec>(scale));
  EXPECT_EQ(std::get<SeedSpec>(scale).configurations, 1000000u);
  EXPECT_EQ(std::get<SeedSpec>(parse_seed_spec("demo")).kind, SeedSpec::Kind::Demo);
  for (const char* bad : {"scale:", "scale:0", "scale:-1", "scale:1x", "big"}) {
    auto r = parse_seed_spec(bad);
    ASSERT_TRUE(std::holds_alternative<std::string>(r)) << bad;
    EXPECT_NE(std::get<std::string>(r).find("scale:N"), std::string::npos);
  }
}

TEST(SimWorld, SeedFileRecordsMergeAndCollidingIdsAreRefused) {
  World w = make_demo_world(1);
  auto extra = parse_world_json(R"({"companies":[{"id":500,"short_name":"X","name":"Extra","type_id":1,"status_id":1}]})");
  ASSERT_TRUE(std::holds_alternative<World>(extra)) << std::get<std::string>(extra);
  EXPECT_EQ(merge_world(w, std::move(std::get<World>(extra))), "");
  EXPECT_EQ(w.companies.back().name, "Extra");
  auto clash = parse_world_json(R"({"companies":[{"id":1,"name":"Clash"}]})");
  EXPECT_NE(merge_world(w, std::move(std::get<World>(clash))).find("company id 1"), std::string::npos);
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_world_json("[1,2]")));
}

TEST(SimTime, FormatsSecondsAsConnectWiseDates) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(1767225600), "2026-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(951782400 + 86399), "2000-02-29T23:59:59Z");
  EXPECT_EQ(*parse_utc_millis("2026-01-01T00:00:01Z"), 1767225601000);
}
