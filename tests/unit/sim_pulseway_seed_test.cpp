// Pulseway PSA's profile over the shared V2 platform: its own product and credentials, and large
// tenant-specific record ids (P2) while picklist ids stay small.
#include <gtest/gtest.h>

#include "sim/bms/seed.h"
#include "sim/pulseway/emulator.h"
#include "sim/registry.h"

using namespace cairn::sim;

TEST(PulsewaySeed, RecordIdsCarryTheOffsetAndReferencesFollow) {
  const World w = make_demo_world(1);
  const bms::Store s = bms::seed_store(w, pulseway::assumed::kIdOffset);
  ASSERT_EQ(s.accounts.size(), w.companies.size());
  for (const auto& c : w.companies) {
    const auto& a = s.accounts.at(c.id + pulseway::assumed::kIdOffset);
    EXPECT_EQ(a.parent_id, c.parent_id ? c.parent_id + pulseway::assumed::kIdOffset : 0);
    EXPECT_EQ(a.type_id, c.type_id);  // picklist ids are not offset
  }
  for (const auto& [id, a] : s.assets) {
    EXPECT_GT(id, 4'000'000'000);
    EXPECT_TRUE(s.accounts.count(a.account_id));
  }
  EXPECT_GT(s.next_contact, pulseway::assumed::kIdOffset);
}

TEST(PulsewaySeed, DefaultOptionsNameTheProductAndDifferFromBms) {
  const bms::Options p = pulseway::default_options();
  const bms::Options b;
  EXPECT_EQ(p.profile.kind, "pulseway");
  EXPECT_EQ(p.profile.product, "Pulseway PSA");
  EXPECT_NE(p.tenant, b.tenant);
  EXPECT_EQ(p.hourly_request_limit, 1500);
  EXPECT_EQ(p.max_page_size, 100);
  // Options without Pulseway's profile are refused rather than served as BMS.
  EXPECT_THROW(pulseway::PulsewayEmulator(make_demo_world(1), b), std::invalid_argument);
}

TEST(PulsewaySeed, RegistryBuildsBothKindsAndRejectsBadNumbers) {
  for (const char* kind : {"bms", "pulseway"}) {
    auto made = make_emulator(kind, make_demo_world(1), {{"hourly-request-limit", "5"}});
    ASSERT_TRUE(std::holds_alternative<std::unique_ptr<Emulator>>(made)) << kind;
    EXPECT_EQ(std::get<std::unique_ptr<Emulator>>(made)->kind(), kind);
    auto bad = make_emulator(kind, make_demo_world(1), {{"max-page-size", "0"}});
    ASSERT_TRUE(std::holds_alternative<std::string>(bad));
    EXPECT_NE(std::get<std::string>(bad).find("max-page-size"), std::string::npos);
  }
}
