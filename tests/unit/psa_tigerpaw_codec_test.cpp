// Tigerpaw records into Cairn's terms through the mapping table (§2.5, D6): account summaries as
// organizations, locations derived from account and contact addresses (the account's primary,
// phone = the primary non-fax number without its extension, fax = fax), contacts' details with
// one phone per Tigerpaw phone type and their e-mail addresses, inactive contacts marked so; and
// the client's TSI signature (psa-apis.md §5.1) checked against an independently computed value.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>

#include "core/psa_capabilities.h"
#include "psa/mappings.h"
#include "psa/tigerpaw/client.h"
#include "psa/tigerpaw/mapping.h"
#include "psa/tigerpaw/source.h"

using namespace cairn;
using nlohmann::json;

namespace {

using core::SyncEntity;

json account(int number, const std::string& address1, const std::string& phone = "+1 212 555 0100 x12") {
  return {{"AccountNumber", number},
          {"Account",
           {{"Name", "Acme Inc"}, {"AccountId", "ACME"}, {"Address1", address1}, {"Address2", nullptr},
            {"City", "New York"}, {"State", "NY"}, {"PostalCode", "10001"}, {"Country", "United States"},
            {"AccountType", "Customer"}, {"Status", "Active"}}},
          {"PhoneNumber", phone},
          {"FaxNumber", "+1 212 555 0199"},
          {"ParentAccountNumber", nullptr}};
}

json contact(int number, int account_number, const std::string& address1, bool inactive = false) {
  return {{"ContactNumber", number},
          {"Contact",
           {{"AccountNumber", account_number}, {"FirstName", "Ann"}, {"LastName", "Lee"}, {"Title", "CTO"},
            {"Address1", address1}, {"Address2", nullptr}, {"City", "New York"}, {"State", "NY"},
            {"PostalCode", "10002"}, {"Country", "United States"}, {"PersonalNotes", "Prefers e-mail"},
            {"Inactive", inactive}}},
          {"PhoneNumber", "+1 212 555 0150"},
          {"FaxNumber", nullptr},
          {"EmailAddress", "ann@acme.example"}};
}

TEST(TigerpawSignature, MatchesTheTsiSchemeComputedIndependently) {
  using namespace std::chrono;
  const auto when = sys_days{year{2015} / June / 18} + hours{7} + minutes{25} + seconds{43};
  const std::string stamp = psa::tigerpaw::rfc1123(when);
  EXPECT_EQ(stamp, "Thu, 18 Jun 2015 07:25:43 GMT");
  // Python: base64(hmac.new(b"MyPrivateKey", "get|/api/accounts/1052932|thu, 18 jun 2015 07:25:43 gmt", sha256))
  const std::string sig = psa::tigerpaw::tsi_signature("MyPrivateKey", "GET", "/api/accounts/1052932", stamp);
  EXPECT_EQ(sig, "eZnJQv9BeWKv45UaTIJvJciUMO2eYl+SLYrCGk+UA5A=");
  EXPECT_EQ(sig.size(), 44u);
  // The whole string is lowercased: the path's case does not change the signature.
  EXPECT_EQ(psa::tigerpaw::tsi_signature("MyPrivateKey", "get", "/API/Accounts/1052932", stamp), sig);
  EXPECT_NE(psa::tigerpaw::tsi_signature("OtherKey", "GET", "/api/accounts/1052932", stamp), sig);
  EXPECT_EQ(psa::tigerpaw::tsi_authorization("6d2b9f3e-41a7-4c58-8e0d-93f1a2b4c7d5", sig),
            "TSI NmQyYjlmM2UtNDFhNy00YzU4LThlMGQtOTNmMWEyYjRjN2Q1OmVabkpRdjlCZVdLdjQ1VWFUSUp2SmNpVU1PMmVZbCtTTFlyQ0drK1VBNUE9");
}

TEST(TigerpawClient, ApiRootAcceptsTheServerWithOrWithoutApi) {
  EXPECT_EQ(psa::tigerpaw::normalized_api_root("https://api.acme.example"), "https://api.acme.example/api");
  EXPECT_EQ(psa::tigerpaw::normalized_api_root("https://api.acme.example/"), "https://api.acme.example/api");
  EXPECT_EQ(psa::tigerpaw::normalized_api_root("https://api.acme.example/API/"), "https://api.acme.example/api");
  EXPECT_EQ(psa::tigerpaw::normalized_api_root("https://h.example/tigerpaw"), "https://h.example/tigerpaw/api");
}

TEST(TigerpawClient, PagesAtTheCapabilityTablesLargestPage) {
  EXPECT_EQ(psa::tigerpaw::kPageSize, core::capabilities_for("tigerpaw")->max_page_size);
}

TEST(TigerpawCodec, R10_PhoneExtensionsAreDropped) {
  using psa::tigerpaw::without_extension;
  EXPECT_EQ(without_extension("+1 212 555 0100 x12"), "+1 212 555 0100");
  EXPECT_EQ(without_extension("555-0100 ext. 12"), "555-0100");
  EXPECT_EQ(without_extension("555-0100 Ext 7"), "555-0100");
  EXPECT_EQ(without_extension("555-0100, extension 7"), "555-0100");
  EXPECT_EQ(without_extension("555-0100#44"), "555-0100");
  EXPECT_EQ(without_extension(" +1 212 555 0100 "), "+1 212 555 0100");
  EXPECT_EQ(without_extension("x12"), "x12");  // nothing before it: not an extension
  EXPECT_EQ(without_extension("Box 12 Office"), "Box 12 Office");
}

TEST(TigerpawCodec, Account_IsAnOrganizationWithTypeStatusAndShortName) {
  auto r = psa::tigerpaw::organization_record(account(12, "1 Main St"));
  EXPECT_EQ(r.psa_id, "12");
  EXPECT_EQ(r.fields["name"].as_string(), "Acme Inc");
  EXPECT_EQ(r.fields["short_name"].as_string(), "ACME");
  EXPECT_EQ(r.type_names, (std::vector<std::string>{"Customer"}));
  EXPECT_EQ(r.status_name, "Active");
  EXPECT_TRUE(r.active);
}

TEST(TigerpawCodec, D6_TheAccountAddressIsThePrimaryLocationWithPhoneAndFax) {
  auto locations = psa::tigerpaw::location_records({account(12, "1 Main St")}, {});
  ASSERT_EQ(locations.size(), 1u);
  auto& l = locations[0];
  EXPECT_EQ(l.entity, SyncEntity::Location);
  EXPECT_EQ(l.psa_id, "account:12");
  EXPECT_EQ(l.fields["name"].as_string(), "1 Main St");  // Location Name = Address 1
  EXPECT_EQ(l.fields["address_1"].as_string(), "1 Main St");
  EXPECT_TRUE(l.fields["address_2"].is_null());
  EXPECT_EQ(l.fields["city"].as_string(), "New York");
  EXPECT_EQ(l.lookups["region_id"], "NY");
  EXPECT_EQ(l.fields["postal_code"].as_string(), "10001");
  EXPECT_EQ(l.lookups["country_id"], "United States");
  EXPECT_EQ(l.fields["phone"].as_string(), "+1 212 555 0100");  // the primary non-fax number, extension dropped
  EXPECT_EQ(l.fields["fax"].as_string(), "+1 212 555 0199");
  EXPECT_EQ(l.fields["primary"], core::Value(true));
  EXPECT_EQ(l.refs["organization_id"].psa_id, "12");
}

TEST(TigerpawCodec, D6_ContactAddressesMakeLocationsOncePerDistinctAddress) {
  const auto accounts = std::vector<json>{account(12, "1 Main St"), account(13, "")};
  const auto contacts = std::vector<json>{
      contact(7, 12, "9 Side St"),         // a new address: its own location
      contact(5, 12, "9 Side St"),         // the same address, lower number: it names the location
      contact(8, 12, "1 Main St"),         // the account's address: no second location
      contact(9, 12, "4 Gone Rd", true),   // inactive: no location
      contact(10, 13, ""),                 // blank address (the city is kept, so a location)
  };
  auto locations = psa::tigerpaw::location_records(accounts, contacts);
  std::vector<std::string> ids;
  for (const auto& l : locations) ids.push_back(l.psa_id);
  // Account 13's own address is only a city: a location named after it; contact 10's is the same.
  EXPECT_EQ(ids, (std::vector<std::string>{"account:12", "contact:5", "account:13"}));
  const auto& side = locations[1];
  EXPECT_EQ(side.fields.at("name").as_string(), "9 Side St");
  EXPECT_EQ(side.fields.at("primary"), core::Value(false));
  EXPECT_EQ(side.fields.at("phone").as_string(), "+1 212 555 0150");
  EXPECT_TRUE(side.fields.at("fax").is_null());
  EXPECT_EQ(side.refs.at("organization_id").psa_id, "12");
  EXPECT_EQ(locations[2].fields.at("name").as_string(), "New York");
}

TEST(TigerpawCodec, Contact_OnePhonePerTypeThePrimaryFlaggedAndEveryEmail) {
  json detail = contact(7, 12, "1 Main St");
  detail["PhoneNumbers"] = json::parse(R"([
    {"PhoneNumberId": 1, "Number": "+1 212 555 0150", "Location": "Ext. 101", "IsPrimary": true},
    {"PhoneNumberId": 2, "Number": "+1 917 555 0101", "Location": "Mobile", "IsPrimary": false},
    {"PhoneNumberId": 3, "Number": "+1 917 555 0102", "Location": "Mobile", "IsPrimary": false},
    {"PhoneNumberId": 4, "Number": "+1 212 555 0199", "Location": "Fax", "IsPrimary": true},
    {"PhoneNumberId": 5, "Number": null, "Location": "Home", "IsPrimary": false}])");
  detail["EmailAddresses"] = json::parse(R"([
    {"EmailAddressId": 1, "Email": "ann@acme.example", "Description": "Work", "IsPrimary": true},
    {"EmailAddressId": 2, "Email": "ann@home.example", "Description": "Other", "IsPrimary": false}])");
  auto r = psa::tigerpaw::contact_record(detail);
  EXPECT_EQ(r.psa_id, "7");
  EXPECT_TRUE(r.active);
  EXPECT_EQ(r.fields["first_name"].as_string(), "Ann");
  EXPECT_EQ(r.fields["last_name"].as_string(), "Lee");
  EXPECT_EQ(r.fields["title"].as_string(), "CTO");
  EXPECT_EQ(r.fields["notes"].as_string(), "Prefers e-mail");
  EXPECT_EQ(r.refs["organization_id"].psa_id, "12");
  // Rows: number, extension, label, kind, primary.
  const auto phones = r.fields["contact_phones"].as_rows();
  ASSERT_EQ(phones.size(), 3u);
  EXPECT_EQ(phones[0][0].as_string(), "+1 212 555 0150");
  EXPECT_TRUE(phones[0][1].is_null());  // the extension is dropped
  EXPECT_EQ(phones[0][2].as_string(), "Main");
  EXPECT_EQ(phones[0][4], core::Value(true));
  EXPECT_EQ(phones[1][0].as_string(), "+1 917 555 0101");  // the first Mobile: neither is primary
  EXPECT_EQ(phones[1][4], core::Value(false));
  EXPECT_EQ(phones[2][3].as_string(), "fax");
  const auto emails = r.fields["contact_emails"].as_rows();
  ASSERT_EQ(emails.size(), 2u);
  EXPECT_EQ(emails[0][0].as_string(), "ann@acme.example");
  EXPECT_EQ(emails[0][1].as_string(), "Work");
  EXPECT_EQ(emails[0][2], core::Value(true));
  EXPECT_EQ(emails[1][2], core::Value(false));
}

TEST(TigerpawCodec, D6_AnInactiveContactIsMarkedInactive) {
  auto r = psa::tigerpaw::contact_record(contact(9, 12, "", true));
  EXPECT_FALSE(r.active);
  EXPECT_TRUE(psa::tigerpaw::contact_record(contact(9, 12, "")).active);
}

TEST(TigerpawCodec, OneWay_EveryMappedFieldIsReadOnlyInCairn) {
  ASSERT_NE(psa::mapping_for("tigerpaw"), nullptr);
  for (const auto& row : *psa::mapping_for("tigerpaw")) EXPECT_EQ(row.direction, psa::Direction::PsaToCairn) << row.cairn;
  EXPECT_FALSE(psa::mapped("tigerpaw", SyncEntity::Configuration, "name"));
  EXPECT_TRUE(psa::mapped("tigerpaw", SyncEntity::Location, "phone"));
}

}  // namespace
