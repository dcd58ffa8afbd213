// Autotask wire records into Cairn's terms through the mapping table (§2.2, D26), after the
// source has resolved its id look-ups into "~" members.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "psa/autotask/client.h"
#include "psa/autotask/mapping.h"
#include "psa/json_codec.h"

using namespace cairn;
using nlohmann::json;

namespace {

core::PsaRecord decode(core::SyncEntity e, const json& wire) { return psa::decode(psa::autotask::mapping(), e, wire); }

TEST(AutotaskCodec, Company_ActiveFlagIsTheStatusAndThePicklistLabelTheType) {
  json wire = json::parse(R"({"id": 250, "companyName": "Acme Inc", "companyNumber": "ACME", "companyType": 1,
    "~companyType": "Customer", "isActive": true, "parentCompanyID": 7})");
  auto r = decode(core::SyncEntity::Organization, wire);
  EXPECT_EQ(r.psa_id, "250");
  EXPECT_EQ(r.fields["name"].as_string(), "Acme Inc");
  EXPECT_EQ(r.fields["short_name"].as_string(), "ACME");
  EXPECT_EQ(r.type_names, (std::vector<std::string>{"Customer"}));
  EXPECT_EQ(r.status_name, "Active");
  EXPECT_EQ(r.refs["parent_id"].psa_id, "7");
  wire["isActive"] = false;
  EXPECT_EQ(decode(core::SyncEntity::Organization, wire).status_name, "Inactive");
}

TEST(AutotaskCodec, Contact_FixedSlotsBecomeLabelledRowsWithTheFirstPrimary) {
  json wire = json::parse(R"({"id": 31, "companyID": 250, "firstName": "Ann", "lastName": "Lee", "title": "CFO",
    "emailAddress": "ann@acme.example", "emailAddress2": "ann.private@example.org", "phone": "312-555-0100",
    "extension": "12", "mobilePhone": "312-555-0111", "alternatePhone": null, "faxNumber": "312-555-0199",
    "companyLocationID": 4, "isActive": 1})");
  auto r = decode(core::SyncEntity::Contact, wire);
  const auto& emails = r.fields["contact_emails"].as_rows();
  ASSERT_EQ(emails.size(), 1u);  // §2.2 maps the first slot only (Work Email)
  EXPECT_EQ(emails[0][0].as_string(), "ann@acme.example");
  EXPECT_EQ(emails[0][1].as_string(), "Work");
  EXPECT_TRUE(emails[0][2].as_bool());
  const auto& phones = r.fields["contact_phones"].as_rows();
  ASSERT_EQ(phones.size(), 3u);
  EXPECT_EQ(phones[0][0].as_string(), "312-555-0100");
  EXPECT_EQ(phones[0][1].as_string(), "12");
  EXPECT_EQ(phones[0][2].as_string(), "Work");
  EXPECT_TRUE(phones[0][4].as_bool());
  EXPECT_EQ(phones[1][2].as_string(), "Mobile");
  EXPECT_FALSE(phones[1][4].as_bool());
  EXPECT_EQ(phones[2][3].as_string(), "fax");
  EXPECT_TRUE(phones[2][4].as_bool());  // the first fax is the primary fax
  EXPECT_EQ(r.refs["location_id"].entity, core::SyncEntity::Location);
  EXPECT_EQ(r.refs["organization_id"].psa_id, "250");
}

TEST(AutotaskCodec, Contact_NoEmailOrPhoneIsAnEmptyListNotAMissingField) {
  auto r = decode(core::SyncEntity::Contact, json::parse(R"({"id": 1, "firstName": "A", "lastName": "B"})"));
  ASSERT_TRUE(r.fields["contact_emails"].is_rows());
  EXPECT_TRUE(r.fields["contact_emails"].as_rows().empty());
  EXPECT_TRUE(r.fields["contact_phones"].as_rows().empty());
}

TEST(AutotaskCodec, ConfigurationItem_NameFallsBackToTheProductAndItsMakerIsTheManufacturer) {
  json wire = json::parse(R"({"id": 9, "companyID": 250, "productID": 3, "referenceTitle": "", "serialNumber": "SN1",
    "configurationItemType": 2, "~configurationItemType": "Managed Server", "isActive": true,
    "installDate": "2024-05-06T00:00:00Z", "installedByID": 29682885, "~installedByID": "Pat Tech",
    "~productID": {"id": 3, "name": "Dell PowerEdge R740", "manufacturerName": "Dell", "manufacturerProductName": "R740"},
    "rmmDeviceAuditMacAddress": "00:11:22:33:44:55"})");
  auto r = decode(core::SyncEntity::Configuration, wire);
  EXPECT_EQ(r.fields["name"].as_string(), "Dell PowerEdge R740");
  EXPECT_EQ(r.lookups["manufacturer_id"], "Dell");
  EXPECT_EQ(r.lookups["model_id"], "R740");
  EXPECT_EQ(r.type_names, (std::vector<std::string>{"Managed Server"}));
  EXPECT_EQ(r.status_name, "Active");
  EXPECT_EQ(r.fields["installed_at"].as_string(), "2024-05-06");
  EXPECT_EQ(r.fields["installed_by"].as_string(), "Pat Tech");
  EXPECT_EQ(r.fields.count("mac_address"), 0u);  // no MAC mapping for Autotask (§2.2)
  wire["referenceTitle"] = "SRV-01";
  EXPECT_EQ(decode(core::SyncEntity::Configuration, wire).fields["name"].as_string(), "SRV-01");
}

TEST(AutotaskCodec, IncludeFields_AskForWhatTheMappingReadsAndTheIdsBehindLookups) {
  auto f = psa::autotask::include_fields(core::SyncEntity::Configuration);
  auto has = [&](const std::string& n) { return std::find(f.begin(), f.end(), n) != f.end(); };
  for (const char* n : {"id", "lastModifiedTime", "referenceTitle", "productID", "configurationItemType", "installedByID",
                        "companyID", "serialNumber"})
    EXPECT_TRUE(has(n)) << n;
  EXPECT_FALSE(has("rmmDeviceAuditMacAddress"));
  for (const auto& name : f) EXPECT_NE(name[0], '~') << name;
  auto contacts = psa::autotask::include_fields(core::SyncEntity::Contact);
  EXPECT_NE(std::find(contacts.begin(), contacts.end(), "extension"), contacts.end());
}

TEST(AutotaskCodec, ZoneUrl_IsNormalisedWhateverUsersPaste) {
  EXPECT_EQ(psa::autotask::normalized_zone_url("https://webservices5.autotask.net"),
            "https://webservices5.autotask.net/atservicesrest/");
  EXPECT_EQ(psa::autotask::normalized_zone_url("https://webservices5.autotask.net/atservicesrest"),
            "https://webservices5.autotask.net/atservicesrest/");
  EXPECT_EQ(psa::autotask::normalized_zone_url("https://webservices5.autotask.net/atservicesrest/"),
            "https://webservices5.autotask.net/atservicesrest/");
}

}  // namespace

// A cursor grown too long is replaced by the same query after the last id read (client.query()).
TEST(AutotaskQueryAfter, TheSameQueryWithIdGreaterThanTheLastOne_AndTheGivenBodyKept) {
  const json body = {{"MaxRecords", 500},
                     {"IncludeFields", {"id", "name"}},
                     {"filter", json::array({{{"op", "exist"}, {"field", "id"}}})}};
  const json after = psa::autotask::query_after(body, 433000);
  EXPECT_EQ(after["MaxRecords"], 500);
  EXPECT_EQ(after["IncludeFields"], body["IncludeFields"]);
  EXPECT_EQ(after["filter"], json::array({{{"op", "exist"}, {"field", "id"}},
                                          {{"op", "gt"}, {"field", "id"}, {"value", 433000}}}));
  EXPECT_EQ(body["filter"].size(), 1u);  // a copy: the first query's body is unchanged
  // A single filter item, not a list: both are kept, as a list (items of the list are ANDed).
  const json one = {{"filter", {{"op", "eq"}, {"field", "isActive"}, {"value", true}}}};
  EXPECT_EQ(psa::autotask::query_after(one, 7)["filter"],
            json::array({{{"op", "eq"}, {"field", "isActive"}, {"value", true}}, {{"op", "gt"}, {"field", "id"}, {"value", 7}}}));
}
