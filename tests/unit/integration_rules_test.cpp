// What makes a stored integration valid, per PSA kind, and how its settings are listed.
#include <gtest/gtest.h>

#include "core/naming.h"
#include "store/integrations.h"

using namespace cairn;
using store::Integration;

namespace {

Integration connectwise() {
  Integration i;
  i.kind = "connectwise";
  i.name = "Acme CW";
  i.base_url = "https://api-na.myconnectwise.net";
  i.credentials = {{"company_id", "acme"}, {"public_key", "pub"}, {"private_key", "priv"}, {"client_id", "cid"}};
  return i;
}

TEST(IntegrationRules, EveryKindNamesItsRequiredCredentials) {
  std::map<std::string, std::vector<std::string>> expected = {
      {"connectwise", {"company_id", "public_key", "private_key", "client_id"}},
      {"autotask", {"username", "secret", "integration_code"}},
      {"bms", {"username", "password", "tenant"}},
      {"pulseway", {"username", "password", "tenant"}},
      {"tigerpaw", {"public_key", "private_key"}},
  };
  ASSERT_EQ(store::integration_kinds().size(), expected.size());
  for (const auto& [kind, creds] : expected) {
    const auto* k = store::find_integration_kind(kind);
    ASSERT_NE(k, nullptr) << kind;
    EXPECT_EQ(k->credentials, creds) << kind;
  }
}

TEST(IntegrationRules, AValidConnectWiseIntegrationPasses) { EXPECT_FALSE(store::validate_integration(connectwise(), "")); }

TEST(IntegrationRules, MissingCredential_IsNamedWithItsPointer) {
  for (const auto& name : {"company_id", "public_key", "private_key", "client_id"}) {
    auto i = connectwise();
    i.credentials.erase(name);
    auto e = store::validate_integration(i, "/data/attributes");
    ASSERT_TRUE(e) << name;
    EXPECT_NE(e->detail.find(name), std::string::npos) << e->detail;
    EXPECT_EQ(e->pointer, "/data/attributes/credentials/" + core::kebab(name));
  }
}

TEST(IntegrationRules, BlankOrForeignCredential_IsRefused) {
  auto blank = connectwise();
  blank.credentials["private_key"] = "  ";
  auto e = store::validate_integration(blank, "");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->pointer, "/credentials/private-key");
  auto foreign = connectwise();
  foreign.credentials["secret"] = "x";
  e = store::validate_integration(foreign, "");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->pointer, "/credentials/secret");
}

TEST(IntegrationRules, KindMustBeOneOfTheFive) {
  auto i = connectwise();
  i.kind = "halo";
  auto e = store::validate_integration(i, "");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->pointer, "/kind");
  EXPECT_NE(e->detail.find("connectwise, autotask, bms, pulseway or tigerpaw"), std::string::npos) << e->detail;
}

TEST(IntegrationRules, UrlIsRequiredExceptForAutotaskAndPulseway) {
  auto cw = connectwise();
  cw.base_url.clear();
  auto e = store::validate_integration(cw, "");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->pointer, "/base-url");
  Integration at;
  at.kind = "autotask";
  at.name = "AT";
  at.credentials = {{"username", "api@acme.example"}, {"secret", "s"}, {"integration_code", "c"}};
  EXPECT_FALSE(store::validate_integration(at, ""));
  // Pulseway PSA has one host; Kaseya BMS one per region, so BMS must say which.
  Integration pw;
  pw.kind = "pulseway";
  pw.name = "PW";
  pw.credentials = {{"username", "api-employee"}, {"password", "p"}, {"tenant", "Acme"}};
  EXPECT_FALSE(store::validate_integration(pw, ""));
  Integration bms = pw;
  bms.kind = "bms";
  e = store::validate_integration(bms, "");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->pointer, "/base-url");
  EXPECT_NE(e->detail.find("Kaseya BMS"), std::string::npos) << e->detail;
  cw = connectwise();
  cw.base_url = "ftp://example.com";
  EXPECT_TRUE(store::validate_integration(cw, ""));
}

Integration tigerpaw() {
  Integration tp;
  tp.kind = "tigerpaw";
  tp.name = "TP";
  tp.base_url = "https://api.acme.example";
  tp.credentials = {{"public_key", "p"}, {"private_key", "q"}};
  return tp;
}

TEST(IntegrationRules, TigerpawCannotTurnOnTwoWay) {
  Integration tp = tigerpaw();
  EXPECT_FALSE(store::validate_integration(tp, ""));
  tp.settings.two_way = true;
  auto e = store::validate_integration(tp, "");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->pointer, "/settings/two-way");
}

TEST(IntegrationRules, D6_TigerpawOffersNoConfigurationTypesOrStatuses) {
  Integration tp = tigerpaw();
  tp.settings.org_types = {"Customer"};
  EXPECT_FALSE(store::validate_integration(tp, ""));
  tp.settings.config_types = {"Server"};
  auto e = store::validate_integration(tp, "");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->pointer, "/settings/config-types");
  EXPECT_NE(e->detail.find(std::string(core::capabilities_for("tigerpaw")->no_configurations_reason)), std::string::npos)
      << e->detail;
  tp.settings.config_types.clear();
  tp.settings.config_statuses = {"Active"};
  e = store::validate_integration(tp, "");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->pointer, "/settings/config-statuses");
  // A PSA with configurations takes them.
  auto cw = connectwise();
  cw.settings.config_types = {"Server"};
  cw.settings.config_statuses = {"Active"};
  EXPECT_FALSE(store::validate_integration(cw, ""));
}

TEST(IntegrationRules, UnreadableCredentials_AreNotRevalidatedUntilReplaced) {
  auto i = connectwise();
  i.credentials.clear();
  i.credentials_error = store::kWrongKeyMessage;
  EXPECT_FALSE(store::validate_integration(i, ""));
}

TEST(SettingsRows, WithoutAConnector_ListsOnlyTheEnabledNames) {
  core::SyncSettings s;
  s.org_types = {"Customer", "Prospect"};
  s.config_statuses = {"Active"};
  auto rows = store::settings_rows(s);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].group, "org-type");
  EXPECT_EQ(rows[0].name, "Customer");
  EXPECT_TRUE(rows[0].enabled);
  EXPECT_EQ(rows[2].group, "config-status");
}

TEST(SettingsRows, WithThePsasNames_ListsEachWithItsFlagAndFlagsNamesThePsaLacks) {
  core::SyncSettings s;
  s.org_types = {"Customer", "Gone"};
  store::PsaCatalogue psa;
  psa.org_types = {"Customer", "Vendor"};
  auto rows = store::settings_rows(s, &psa);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].name, "Customer");
  EXPECT_TRUE(rows[0].enabled);
  EXPECT_EQ(rows[1].name, "Vendor");
  EXPECT_FALSE(rows[1].enabled);
  EXPECT_EQ(rows[2].name, "Gone");
  EXPECT_TRUE(rows[2].enabled);
  EXPECT_FALSE(rows[2].in_psa);
}

}  // namespace
