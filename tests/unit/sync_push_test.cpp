// The pure parts of two-way sync: a change set through the mapping (D14), the retry schedule,
// and D16's create rules as each PSA's requirement table states them.
#include <gtest/gtest.h>

#include <algorithm>

#include "psa/autotask/mapping.h"
#include "psa/connectwise/mapping.h"
#include "psa/json_codec.h"
#include "psa/push_codec.h"
#include "sync/backoff.h"
#include "sync/create_rules.h"

using namespace cairn;
using core::SyncEntity;
using nlohmann::json;

namespace {

core::PsaRecord change_set(SyncEntity e) {
  core::PsaRecord r;
  r.entity = e;
  return r;
}

}  // namespace

TEST(PushCodec, D14_OnlyTheChangedAttributesBecomeConnectWiseMembers) {
  auto c = change_set(SyncEntity::Configuration);
  c.fields["name"] = core::Value("srv-renamed");
  c.fields["installed_at"] = core::Value("2026-01-31");
  c.lookups["configuration_status_id"] = "Active";
  c.refs["location_id"] = core::PsaRef{SyncEntity::Location, "17"};
  auto enc = psa::encode(psa::connectwise::mapping(), c);
  EXPECT_EQ(enc.members, json({{"name", "srv-renamed"},
                               {"installationDate", "2026-01-31T00:00:00Z"},
                               {"status", {{"name", "Active"}}},
                               {"site", {{"id", 17}}}}));
  EXPECT_TRUE(enc.skipped.empty());
  auto ops = psa::replace_operations(enc.members);
  ASSERT_EQ(ops.size(), 4u);
  for (const auto& op : ops) EXPECT_EQ(op["op"], "replace");
  EXPECT_EQ(ops[0]["path"], "installationDate");
}

TEST(PushCodec, D14_ClearedValuesAreSentAsNull) {
  auto c = change_set(SyncEntity::Configuration);
  c.fields["serial_number"] = core::Value();
  c.refs["location_id"] = core::PsaRef{SyncEntity::Location, ""};
  auto enc = psa::encode(psa::connectwise::mapping(), c);
  EXPECT_EQ(enc.members, json({{"serialNumber", nullptr}, {"site", nullptr}}));
}

TEST(PushCodec, D15_OneWayAttributesAreNeverSent) {
  auto c = change_set(SyncEntity::Location);
  c.fields["phone"] = core::Value("555-0100");
  c.fields["city"] = core::Value("Leeds");
  auto enc = psa::encode(psa::connectwise::mapping(), c);
  EXPECT_EQ(enc.members, json({{"city", "Leeds"}}));
  EXPECT_EQ(enc.skipped, std::vector<std::string>{"phone"});
}

TEST(PushCodec, Autotask_ProductAndFlagsAreLeftForTheConnectorToResolve) {
  auto c = change_set(SyncEntity::Configuration);
  c.lookups["manufacturer_id"] = "Dell";
  c.lookups["model_id"] = "R740";
  c.lookups["configuration_status_id"] = "Inactive";
  c.refs["organization_id"] = core::PsaRef{SyncEntity::Organization, "250"};
  auto enc = psa::encode(psa::autotask::mapping(), c);
  EXPECT_EQ(enc.members, json({{"~productID", {{"manufacturerName", "Dell"}, {"manufacturerProductName", "R740"}}},
                               {"isActive", false},
                               {"companyID", 250}}));
}

TEST(PushCodec, AutotaskNameFallback_WritesTheFirstPath) {
  auto c = change_set(SyncEntity::Configuration);
  c.fields["name"] = core::Value("fw-01");
  EXPECT_EQ(psa::encode(psa::autotask::mapping(), c).members, json({{"referenceTitle", "fw-01"}}));
}

TEST(PushCodec, AutotaskCompanyCreate_CarriesItsPrimaryLocationsPhoneAndAddress) {
  auto c = change_set(SyncEntity::Organization);
  c.fields["name"] = core::Value("Acme");
  c.fields["primary_location_phone"] = core::Value("+1 555 0100");
  c.fields["primary_location_city"] = core::Value("Leeds");
  EXPECT_EQ(psa::encode(psa::autotask::mapping(), c).members,
            json({{"companyName", "Acme"}, {"phone", "+1 555 0100"}, {"city", "Leeds"}}));
}

TEST(PushCodec, AutotaskCompanyPhone_IsNeverReadBackIntoTheOrganization) {
  auto r = psa::decode(psa::autotask::mapping(), SyncEntity::Organization,
                       json({{"id", 7}, {"companyName", "Acme"}, {"phone", "+1 555 0100"}, {"city", "Leeds"}}));
  EXPECT_EQ(r.fields.count("primary_location_phone"), 0u);
  EXPECT_EQ(r.fields.count("primary_location_city"), 0u);
  const auto fields = psa::autotask::include_fields(SyncEntity::Organization);
  EXPECT_EQ(std::count(fields.begin(), fields.end(), "phone"), 0);
}

TEST(PushBackoff, D14_DoublesFromTheBaseUpToTheCap) {
  sync::BackoffPolicy p{std::chrono::milliseconds(1000), std::chrono::milliseconds(60000)};
  // random 1: the whole delay; random 0: half of it (equal jitter).
  EXPECT_EQ(sync::backoff_delay(p, 1, 1.0).count(), 1000);
  EXPECT_EQ(sync::backoff_delay(p, 2, 1.0).count(), 2000);
  EXPECT_EQ(sync::backoff_delay(p, 3, 1.0).count(), 4000);
  EXPECT_EQ(sync::backoff_delay(p, 7, 1.0).count(), 60000);
  EXPECT_EQ(sync::backoff_delay(p, 1000, 1.0).count(), 60000);  // no overflow however often it failed
  EXPECT_EQ(sync::backoff_delay(p, 3, 0.0).count(), 2000);
  EXPECT_EQ(sync::backoff_delay(p, 3, 0.5).count(), 3000);
}

TEST(PushBackoff, D14_JitterStaysWithinHalfAndAllOfTheDelay) {
  sync::BackoffPolicy p{std::chrono::milliseconds(100), std::chrono::milliseconds(100000)};
  for (double u : {0.0, 0.1, 0.37, 0.99, 1.0, -3.0, 7.0}) {
    auto d = sync::backoff_delay(p, 4, u).count();
    EXPECT_GE(d, 400);
    EXPECT_LE(d, 800);
  }
}

namespace {

core::SyncSettings two_way_settings() {
  core::SyncSettings s;
  s.two_way = true;
  s.org_types = {"Customer"};
  s.org_statuses = {"Active"};
  s.config_types = {"Server"};
  s.config_statuses = {"Active", "Inactive"};
  return s;
}

sync::CreateCandidate candidate(SyncEntity e, std::set<std::string> present, std::optional<std::string> type = {},
                                std::optional<std::string> status = {}) {
  sync::CreateCandidate c;
  c.entity = e;
  c.type_name = std::move(type);
  c.status_name = std::move(status);
  c.has = [present](const std::string& a) { return present.count(a) > 0; };
  return c;
}

}  // namespace

TEST(CreateRules, D16_ConnectWiseConfigurationNeedsAStatus) {
  auto s = two_way_settings();
  auto without = candidate(SyncEntity::Configuration, {"name", "configuration_type_id"}, "Server");
  auto why = sync::why_not_created("connectwise", without, s);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "not pushed to ConnectWise Manage: ConnectWise needs a configuration status");
  auto with = candidate(SyncEntity::Configuration, {"name", "configuration_type_id", "configuration_status_id"}, "Server",
                        "Active");
  EXPECT_FALSE(sync::why_not_created("connectwise", with, s));
}

TEST(CreateRules, D16_AutotaskConfigurationNeedsManufacturerAndModel) {
  auto s = two_way_settings();
  auto none = candidate(SyncEntity::Configuration, {"configuration_status_id"}, "Server", "Active");
  EXPECT_EQ(sync::why_not_created("autotask", none, s).value_or(""), "not pushed to Autotask PSA: Autotask needs a manufacturer");
  auto no_model = candidate(SyncEntity::Configuration, {"configuration_status_id", "manufacturer_id"}, "Server", "Active");
  EXPECT_EQ(sync::why_not_created("autotask", no_model, s).value_or(""), "not pushed to Autotask PSA: Autotask needs a model");
  auto both = candidate(SyncEntity::Configuration, {"configuration_status_id", "manufacturer_id", "model_id"}, "Server",
                        "Active");
  EXPECT_FALSE(sync::why_not_created("autotask", both, s));
}

TEST(CreateRules, D16_AutotaskCompanyNeedsTheDefaultAccountManagerSetting) {
  auto s = two_way_settings();
  auto org = candidate(SyncEntity::Organization, {"organization_type_id", "primary_location_phone"}, "Customer", "Active");
  auto why = sync::why_not_created("autotask", org, s);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("default account manager"), std::string::npos) << *why;
  s.default_account_manager = "Jane Owner";
  EXPECT_FALSE(sync::why_not_created("autotask", org, s));
}

TEST(CreateRules, D16_BmsContactNeedsEmailPhoneAndLocation) {
  auto s = two_way_settings();
  s.two_way_email_type = "Work";
  EXPECT_EQ(sync::why_not_created("bms", candidate(SyncEntity::Contact, {"contact_phones", "location_id"}), s).value_or(""),
            "not pushed to Kaseya BMS: Kaseya BMS needs a primary email");
  EXPECT_EQ(sync::why_not_created("bms", candidate(SyncEntity::Contact, {"contact_emails", "location_id"}), s).value_or(""),
            "not pushed to Kaseya BMS: Kaseya BMS needs a primary phone");
  EXPECT_EQ(sync::why_not_created("bms", candidate(SyncEntity::Contact, {"contact_emails", "contact_phones"}), s).value_or(""),
            "not pushed to Kaseya BMS: Kaseya BMS needs a location");
  EXPECT_FALSE(sync::why_not_created(
      "bms", candidate(SyncEntity::Contact, {"first_name", "last_name", "contact_emails", "contact_phones", "location_id"}), s));
}

TEST(CreateRules, R1_TypeAndStatusMustBeEnabled) {
  auto s = two_way_settings();
  auto prospect = candidate(SyncEntity::Organization, {"short_name", "organization_status_id", "organization_type_id"},
                            "Prospect", "Active");
  EXPECT_EQ(sync::why_not_created("connectwise", prospect, s).value_or(""),
            "not pushed to ConnectWise Manage: its type \"Prospect\" is not enabled in the sync settings");
  auto retired = candidate(SyncEntity::Configuration, {"configuration_type_id", "configuration_status_id"}, "Server", "Retired");
  EXPECT_EQ(sync::why_not_created("connectwise", retired, s).value_or(""),
            "not pushed to ConnectWise Manage: its status \"Retired\" is not enabled in the sync settings");
}

TEST(CreateRules, R15_BulkImportsAndTwoWayOffAreNeverPushed) {
  auto s = two_way_settings();
  auto ok = candidate(SyncEntity::Contact, {"first_name"});
  EXPECT_FALSE(sync::why_not_created("connectwise", ok, s));
  ok.bulk = true;
  EXPECT_NE(sync::why_not_created("connectwise", ok, s).value_or("").find("imported in bulk"), std::string::npos);
  ok.bulk = false;
  s.two_way = false;
  EXPECT_NE(sync::why_not_created("connectwise", ok, s).value_or("").find("two-way sync is off"), std::string::npos);
}
