// The capability table (reference-behaviour §2.0): one row per PSA, read by the engine and the API.
#include <gtest/gtest.h>

#include "core/psa_capabilities.h"
#include "store/integrations.h"

namespace cairn::core {
namespace {

TEST(PsaCapabilities, EveryIntegrationKindHasARow) {
  for (const auto& k : store::integration_kinds()) {
    ASSERT_NE(k.capabilities, nullptr) << k.kind;
    EXPECT_EQ(k.capabilities->kind, k.kind);
  }
  EXPECT_EQ(capabilities_for("halo"), nullptr);
}

TEST(PsaCapabilities, TigerpawIsOneWayWithoutConfigurationsAndDerivesLocations) {
  const auto& tp = *capabilities_for("tigerpaw");
  EXPECT_FALSE(tp.two_way);
  EXPECT_FALSE(tp.push_all);
  EXPECT_FALSE(syncs(tp, SyncEntity::Configuration));
  EXPECT_TRUE(syncs(tp, SyncEntity::Contact));
  EXPECT_EQ(tp.locations, LocationSource::Derived);
  EXPECT_FALSE(tp.no_two_way_reason.empty());
  EXPECT_FALSE(tp.no_configurations_reason.empty());
}

TEST(PsaCapabilities, TwoWayPsasSyncEverythingAndPushAll) {
  for (const char* kind : {"connectwise", "autotask", "bms", "pulseway"}) {
    const auto& c = *capabilities_for(kind);
    EXPECT_TRUE(c.two_way) << kind;
    EXPECT_TRUE(c.push_all) << kind;
    EXPECT_EQ(c.entities.size(), 4u) << kind;
    EXPECT_EQ(c.entities.front(), SyncEntity::Organization) << kind << ": companies sync before what belongs to them";
  }
}

TEST(PsaCapabilities, QuotasFollowD19) {
  EXPECT_EQ(capabilities_for("autotask")->hourly_request_budget, 5000);
  EXPECT_EQ(capabilities_for("bms")->hourly_request_budget, 1500);
  EXPECT_EQ(capabilities_for("bms")->budget_scope, "per endpoint");
  EXPECT_EQ(capabilities_for("connectwise")->max_page_size, 1000);
  EXPECT_EQ(capabilities_for("autotask")->max_page_size, 500);
  EXPECT_EQ(capabilities_for("bms")->max_page_size, 100);
}

TEST(PsaCapabilities, ChangeNoticesOnlyWhereThePsaSendsThem) {
  EXPECT_EQ(capabilities_for("connectwise")->change_notice, ChangeNotice::Callbacks);
  EXPECT_EQ(capabilities_for("autotask")->change_notice, ChangeNotice::Webhooks);
  for (const char* kind : {"bms", "pulseway", "tigerpaw"}) EXPECT_EQ(capabilities_for(kind)->change_notice, ChangeNotice::None);
}

}  // namespace
}  // namespace cairn::core
