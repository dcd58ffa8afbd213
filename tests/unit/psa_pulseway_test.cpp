// Pulseway PSA through the Kaseya V2 connector (psa-apis.md §4): its platform row (product, one
// host), the shared mapping table (reference-behaviour §2.4 = §2.3), ids beyond 32 bits kept
// whole, and make_source building it with or without a URL.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "psa/bms/client.h"
#include "psa/bms/mapping.h"
#include "psa/bms/source.h"
#include "psa/mappings.h"
#include "psa/pulseway/platform.h"
#include "sync/connectors.h"

using namespace cairn;
using core::SyncEntity;
using nlohmann::json;

namespace {

TEST(PulsewayPlatform, NamesTheProductAndDefaultsToItsOneHost) {
  const auto& p = psa::pulseway::platform();
  EXPECT_EQ(p.kind, "pulseway");
  EXPECT_EQ(p.product, "Pulseway PSA");
  net::HttpClient http;
  psa::bms::Client defaulted(p, "", {"api-employee", "pw", "Acme"}, http);
  EXPECT_EQ(defaulted.api_root(), "https://api.psa.pulseway.com/v2");
  psa::bms::Client given(p, "http://127.0.0.1:9/", {"api-employee", "pw", "Acme"}, http);
  EXPECT_EQ(given.api_root(), "http://127.0.0.1:9/v2");
}

TEST(PulsewayPlatform, BmsHasNoDefaultHostAndSaysSo) {
  net::HttpClient http;
  try {
    psa::bms::Client client(psa::bms::kaseya_bms(), "", {"u", "p", "t"}, http);
    FAIL() << "a BMS client without a host was made";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("Kaseya BMS integration needs --url"), std::string::npos) << e.what();
  }
}

TEST(PulsewayMapping, IsBmsMappingTable) {
  ASSERT_NE(psa::mapping_for("pulseway"), nullptr);
  EXPECT_EQ(psa::mapping_for("pulseway"), &psa::bms::mapping());
  const auto* poc = psa::mapped("pulseway", SyncEntity::Contact, "important");
  ASSERT_NE(poc, nullptr);
  EXPECT_EQ(poc->path, "isPoc");
}

TEST(PulsewayCodec, IdsBeyond32BitsAreKeptWhole) {
  // 2^32 + 1 would read as 1 through a 32-bit integer.
  auto account = psa::bms::to_record(SyncEntity::Organization, json::parse(R"({"id": 4294967297,
    "accountName": "Acme", "parentId": 4200000001, "accountType": "Customer", "isActive": true})"));
  EXPECT_EQ(account.psa_id, "4294967297");
  EXPECT_EQ(account.refs["parent_id"].psa_id, "4200000001");
  auto contact = psa::bms::to_record(SyncEntity::Contact, json::parse(R"({"id": 8589934593, "accountId": 4294967297,
    "locationId": 4200000040, "firstName": "Ann", "lastName": "Lee", "isPoc": true})"));
  EXPECT_EQ(contact.psa_id, "8589934593");
  EXPECT_EQ(contact.refs["organization_id"].psa_id, "4294967297");
  EXPECT_EQ(contact.refs["location_id"].psa_id, "4200000040");
  EXPECT_TRUE(contact.fields["important"].as_bool());
}

store::Integration integration(const std::string& kind, const std::string& url) {
  store::Integration i;
  i.id = 1;
  i.kind = kind;
  i.base_url = url;
  i.credentials = {{"username", "api-employee"}, {"password", "pw"}, {"tenant", "Acme"}};
  return i;
}

TEST(PulsewayConnector, MakeSourceBuildsItWithOrWithoutAUrl) {
  auto defaulted = sync::make_source(integration("pulseway", ""));
  auto* v2 = dynamic_cast<psa::bms::Source*>(defaulted.get());
  ASSERT_NE(v2, nullptr);
  EXPECT_EQ(v2->client().platform().product, "Pulseway PSA");
  EXPECT_EQ(v2->client().api_root(), "https://api.psa.pulseway.com/v2");
  auto given = sync::make_source(integration("pulseway", "http://127.0.0.1:9"));
  EXPECT_EQ(dynamic_cast<psa::bms::Source&>(*given).client().api_root(), "http://127.0.0.1:9/v2");
  try {
    sync::make_source(integration("bms", ""));
    FAIL() << "a BMS source without a host was made";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("needs --url"), std::string::npos) << e.what();
  }
  auto no_password = integration("pulseway", "");
  no_password.credentials.erase("password");
  try {
    sync::make_source(no_password);
    FAIL() << "a Pulseway source without a password was made";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("has no password"), std::string::npos) << e.what();
  }
}

}  // namespace
