// Kaseya BMS V2 records into Cairn's terms through the mapping table (§2.3): account active flags
// as statuses, locations with their one address, contacts' typed e-mails and phones as labelled
// rows with Point of Contact as Important, full hardware assets; and the client's pure helpers.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "psa/bms/client.h"
#include "psa/bms/mapping.h"
#include "psa/bms/source.h"

using namespace cairn;
using nlohmann::json;

namespace {

using core::SyncEntity;

TEST(BmsCodec, Account_ActiveFlagIsTheStatusAndTheTypeNameTheType) {
  json wire = json::parse(R"({"id": 12, "accountCode": "ACME", "accountName": "Acme Inc", "parentId": 3,
    "accountTypeId": 1, "accountType": "Customer", "isActive": true, "modifiedOn": "2026-01-02T03:04:05Z",
    "locations": []})");
  auto r = psa::bms::to_record(SyncEntity::Organization, wire);
  EXPECT_EQ(r.psa_id, "12");
  EXPECT_EQ(r.fields["name"].as_string(), "Acme Inc");
  EXPECT_EQ(r.fields["short_name"].as_string(), "ACME");
  EXPECT_EQ(r.type_names, (std::vector<std::string>{"Customer"}));
  EXPECT_EQ(r.status_name, "Active");
  EXPECT_EQ(r.refs["parent_id"].entity, SyncEntity::Organization);
  EXPECT_EQ(r.refs["parent_id"].psa_id, "3");
  EXPECT_EQ(r.updated_at, "2026-01-02T03:04:05Z");
  wire["isActive"] = false;
  wire["parentId"] = nullptr;
  auto inactive = psa::bms::to_record(SyncEntity::Organization, wire);
  EXPECT_EQ(inactive.status_name, "Inactive");
  EXPECT_EQ(inactive.refs.count("parent_id"), 0u);
}

TEST(BmsCodec, Location_ReadsItsOneAddressAndTheMainFlag) {
  json wire = json::parse(R"({"id": 40, "accountId": 12, "locationName": "HQ", "isMain": true, "isActive": true,
    "addresses": [{"address1": "1 Main St", "address2": null, "city": "Springfield", "state": "IL",
      "zipCode": "62701", "countryId": 1, "country": "United States", "phone": "217-555-0100", "fax": "217-555-0199",
      "emailAddress": null, "isMain": true, "isBilling": true}]})");
  auto r = psa::bms::to_record(SyncEntity::Location, wire);
  EXPECT_EQ(r.psa_id, "40");
  EXPECT_EQ(r.fields["name"].as_string(), "HQ");
  EXPECT_EQ(r.fields["address_1"].as_string(), "1 Main St");
  EXPECT_TRUE(r.fields["address_2"].is_null());
  EXPECT_EQ(r.fields["city"].as_string(), "Springfield");
  EXPECT_EQ(r.lookups["region_id"], "IL");
  EXPECT_EQ(r.lookups["country_id"], "United States");
  EXPECT_EQ(r.fields["postal_code"].as_string(), "62701");
  EXPECT_EQ(r.fields["phone"].as_string(), "217-555-0100");
  EXPECT_EQ(r.fields["fax"].as_string(), "217-555-0199");
  EXPECT_TRUE(r.fields["primary"].as_bool());
  EXPECT_EQ(r.refs["organization_id"].psa_id, "12");
}

TEST(BmsCodec, Location_WithoutAddressesHasBlankAddressFields) {
  auto r = psa::bms::to_record(SyncEntity::Location, json::parse(R"({"id": 41, "accountId": 12, "locationName": "Annex"})"));
  EXPECT_EQ(r.fields["name"].as_string(), "Annex");
  EXPECT_TRUE(r.fields["city"].is_null());
  EXPECT_FALSE(r.fields["primary"].as_bool());
}

TEST(BmsCodec, Contact_TypedEmailsAndPhonesBecomeLabelledRowsAndPocIsImportant) {
  json wire = json::parse(R"({"id": 31, "accountId": 12, "locationId": 40, "firstName": "Ann", "lastName": "Lee",
    "jobTitle": "CFO", "isPoc": true, "isActive": true,
    "emails": [{"id": 1, "emailAddress": "ann@acme.example", "emailTypeId": 1, "emailType": "Work", "isDefault": true},
               {"id": 2, "emailAddress": "ann@home.example", "emailTypeId": 2, "emailType": "Personal", "isDefault": false}],
    "phones": [{"id": 3, "phone": "312-555-0100", "phoneTypeId": 1, "phoneType": "Work", "isDefault": true},
               {"id": 4, "phone": "312-555-0199", "phoneTypeId": 4, "phoneType": "Fax", "isDefault": false},
               {"id": 5, "phone": "", "phoneTypeId": 2, "phoneType": "Mobile", "isDefault": false}]})");
  auto r = psa::bms::to_record(SyncEntity::Contact, wire);
  EXPECT_EQ(r.fields["first_name"].as_string(), "Ann");
  EXPECT_EQ(r.fields["title"].as_string(), "CFO");
  EXPECT_TRUE(r.fields["important"].as_bool());
  const auto& emails = r.fields["contact_emails"].as_rows();
  ASSERT_EQ(emails.size(), 2u);
  EXPECT_EQ(emails[0][0].as_string(), "ann@acme.example");
  EXPECT_EQ(emails[0][1].as_string(), "Work");
  EXPECT_TRUE(emails[0][2].as_bool());
  EXPECT_EQ(emails[1][1].as_string(), "Personal");
  EXPECT_FALSE(emails[1][2].as_bool());
  const auto& phones = r.fields["contact_phones"].as_rows();
  ASSERT_EQ(phones.size(), 2u);  // the blank mobile number is no row
  EXPECT_EQ(phones[0][0].as_string(), "312-555-0100");
  EXPECT_EQ(phones[0][2].as_string(), "Work");
  EXPECT_EQ(phones[0][3].as_string(), "phone");
  EXPECT_TRUE(phones[0][4].as_bool());
  EXPECT_EQ(phones[1][3].as_string(), "fax");
  EXPECT_EQ(r.refs["location_id"].entity, SyncEntity::Location);
  EXPECT_EQ(r.refs["location_id"].psa_id, "40");
  EXPECT_EQ(r.refs["organization_id"].psa_id, "12");
  wire["isPoc"] = false;
  EXPECT_FALSE(psa::bms::to_record(SyncEntity::Contact, wire).fields["important"].as_bool());
}

TEST(BmsCodec, Contact_NoEmailsOrPhonesIsAnEmptyListNotAMissingField) {
  auto r = psa::bms::to_record(SyncEntity::Contact, json::parse(R"({"id": 1, "accountId": 2, "firstName": "A",
    "lastName": "B", "emails": null, "phones": "garbage"})"));
  ASSERT_TRUE(r.fields["contact_emails"].is_rows());
  EXPECT_TRUE(r.fields["contact_emails"].as_rows().empty());
  EXPECT_TRUE(r.fields["contact_phones"].as_rows().empty());
}

TEST(BmsCodec, HardwareAsset_FullRecordMapsEveryTableRow) {
  json wire = json::parse(R"({"id": 900, "name": "SRV-01", "accountId": 12, "accountLocationId": 40, "contactId": 31,
    "categoryId": 2, "category": "Server", "stateId": 1, "state": "Active", "manufacturerId": 5, "manufacturer": "Dell",
    "modelNumber": "R740", "serialNumber": "SN123", "assetTag": "T-9", "description": "rack 3", "isActive": true,
    "ipAddress": "10.0.0.5", "defaultGateway": "10.0.0.1", "macAddress": "00:11:22:33:44:55", "osType": "Windows",
    "osInfo": "Windows Server 2022", "warrantyExpirationDate": "2027-05-01T00:00:00Z",
    "acquisitionDate": "2024-05-01T00:00:00Z", "locationInfo": "Rack 3 U12"})");
  auto r = psa::bms::to_record(SyncEntity::Configuration, wire);
  EXPECT_EQ(r.fields["name"].as_string(), "SRV-01");
  EXPECT_EQ(r.type_names, (std::vector<std::string>{"Server"}));
  EXPECT_EQ(r.status_name, "Active");
  EXPECT_EQ(r.lookups["manufacturer_id"], "Dell");
  EXPECT_EQ(r.lookups["model_id"], "R740");
  EXPECT_EQ(r.lookups["operating_system_id"], "Windows");
  EXPECT_EQ(r.fields["operating_system_notes"].as_string(), "Windows Server 2022");
  EXPECT_EQ(r.fields["position"].as_string(), "Rack 3 U12");
  EXPECT_EQ(r.fields["serial_number"].as_string(), "SN123");
  EXPECT_EQ(r.fields["asset_tag"].as_string(), "T-9");
  EXPECT_EQ(r.fields["notes"].as_string(), "rack 3");
  EXPECT_EQ(r.fields["primary_ip"].as_string(), "10.0.0.5");
  EXPECT_EQ(r.fields["default_gateway"].as_string(), "10.0.0.1");
  EXPECT_EQ(r.fields["mac_address"].as_string(), "00:11:22:33:44:55");
  EXPECT_EQ(r.fields["warranty_expires_at"].as_string(), "2027-05-01");
  EXPECT_EQ(r.fields["purchased_at"].as_string(), "2024-05-01");
  EXPECT_EQ(r.refs["contact_id"].entity, SyncEntity::Contact);
  EXPECT_EQ(r.refs["location_id"].psa_id, "40");
  EXPECT_EQ(r.refs["organization_id"].psa_id, "12");
}

TEST(BmsCodec, HardwareAsset_TwoMacsAreDroppedWithAReason) {
  auto r = psa::bms::to_record(SyncEntity::Configuration,
                               json::parse(R"({"id": 1, "name": "X", "macAddress": "00:11:22:33:44:55, 66:77:88:99:AA:BB"})"));
  EXPECT_EQ(r.fields.count("mac_address"), 0u);
  ASSERT_EQ(r.dropped.count("mac_address"), 1u);
  EXPECT_NE(r.dropped["mac_address"].find("not a single MAC"), std::string::npos);
}

TEST(BmsCodec, NotAnObject_DecodesToAnEmptyRecordInsteadOfThrowing) {
  auto r = psa::bms::to_record(SyncEntity::Contact, json::array({1, 2}));
  EXPECT_TRUE(r.psa_id.empty());
  EXPECT_TRUE(r.fields["contact_emails"].as_rows().empty());
}

TEST(BmsClient, ApiRoot_AcceptsTheHostWithOrWithoutV2) {
  EXPECT_EQ(psa::bms::normalized_api_root("https://api.bms.kaseya.com"), "https://api.bms.kaseya.com/v2");
  EXPECT_EQ(psa::bms::normalized_api_root("https://api.bms.kaseya.com/"), "https://api.bms.kaseya.com/v2");
  EXPECT_EQ(psa::bms::normalized_api_root("https://api.bms.kaseya.com/v2/"), "https://api.bms.kaseya.com/v2");
}

TEST(BmsClient, Endpoint_ReplacesIdsAndDropsTheQuery) {
  EXPECT_EQ(psa::bms::endpoint_of("GET", "/v2/servicedesk/hardwareasset/123"), "GET /v2/servicedesk/hardwareasset/{id}");
  EXPECT_EQ(psa::bms::endpoint_of("GET", "/v2/crm/accounts/7/locations/9"), "GET /v2/crm/accounts/{id}/locations/{id}");
  EXPECT_EQ(psa::bms::endpoint_of("GET", "/v2/crm/accounts/summary?PageSize=100&PageNumber=2"),
            "GET /v2/crm/accounts/summary");
}

TEST(BmsClient, EnvelopeError_ReadsV2AndV1Messages) {
  EXPECT_EQ(psa::bms::envelope_error(json::parse(R"({"success": false, "result": null,
    "error": {"code": 978001, "message": "Security Error"}})")), "Security Error");
  EXPECT_EQ(psa::bms::envelope_error(json::parse(R"({"Message": "Authorization has been denied."})")),
            "Authorization has been denied.");
  EXPECT_EQ(psa::bms::envelope_error(json::parse(R"({"success": true, "result": [], "error": null})")), "");
  EXPECT_EQ(psa::bms::envelope_error(json::parse("42")), "");
}

TEST(BmsMapping, OnlyAccountsAndContactsPullIncrementally) {
  EXPECT_TRUE(psa::bms::pulls_incrementally(SyncEntity::Organization));
  EXPECT_TRUE(psa::bms::pulls_incrementally(SyncEntity::Contact));
  EXPECT_FALSE(psa::bms::pulls_incrementally(SyncEntity::Location));
  EXPECT_FALSE(psa::bms::pulls_incrementally(SyncEntity::Configuration));
  EXPECT_STREQ(psa::bms::list_path(SyncEntity::Location), psa::bms::list_path(SyncEntity::Organization));
}

}  // namespace
