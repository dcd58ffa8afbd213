// ConnectWise wire records into Cairn's terms through the mapping table (§2.1).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "psa/connectwise/mapping.h"
#include "psa/json_codec.h"

using namespace cairn;
using nlohmann::json;

TEST(ConnectWiseCodec, Company_NameIdentifierTypesStatusParent) {
  json wire = json::parse(R"({"id": 250, "identifier": "ACME", "name": "Acme Inc",
    "status": {"id": 1, "name": "Active"}, "types": [{"id": 3, "name": "Vendor"}, {"id": 1, "name": "Customer"}],
    "parentCompany": {"id": 7, "identifier": "HOLD", "name": "Acme Holdings"}, "_info": {"lastUpdated": "2026-01-02T03:04:05Z"}})");
  auto r = psa::decode(psa::connectwise::mapping(), core::SyncEntity::Organization, wire);
  EXPECT_EQ(r.psa_id, "250");
  EXPECT_EQ(r.fields["name"].as_string(), "Acme Inc");
  EXPECT_EQ(r.fields["short_name"].as_string(), "ACME");
  EXPECT_EQ(r.type_names, (std::vector<std::string>{"Vendor", "Customer"}));
  EXPECT_EQ(r.status_name, "Active");
  EXPECT_EQ(r.refs["parent_id"].psa_id, "7");
  EXPECT_EQ(r.updated_at, "2026-01-02T03:04:05Z");
}

TEST(ConnectWiseCodec, Configuration_MultiMacStringIsDroppedNotTruncated) {
  json wire = json::parse(R"({"id": 9, "name": "SRV1", "type": {"id": 1, "name": "Server"}, "status": {"id": 1, "name": "Active"},
    "company": {"id": 250}, "macAddress": "00:11:22:33:44:55, 66:77:88:99:AA:BB", "installationDate": "2024-05-06T00:00:00Z",
    "manufacturer": {"id": 2, "name": "Dell"}, "contact": {"id": 31}, "site": {"id": 4}})");
  auto r = psa::decode(psa::connectwise::mapping(), core::SyncEntity::Configuration, wire);
  EXPECT_EQ(r.fields.count("mac_address"), 0u);
  ASSERT_EQ(r.dropped.count("mac_address"), 1u);
  EXPECT_EQ(r.fields["installed_at"].as_string(), "2024-05-06");
  EXPECT_EQ(r.type_names, (std::vector<std::string>{"Server"}));
  EXPECT_EQ(r.lookups["manufacturer_id"], "Dell");
  EXPECT_EQ(r.refs["contact_id"].entity, core::SyncEntity::Contact);
  EXPECT_EQ(r.refs["location_id"].psa_id, "4");
  EXPECT_EQ(r.refs["organization_id"].psa_id, "250");
}

TEST(ConnectWiseCodec, Configuration_SingleMacIsKept) {
  for (const char* mac : {"00:11:22:33:44:55", "00-11-22-33-44-55", "001122334455"}) {
    json wire = {{"id", 1}, {"name", "x"}, {"macAddress", mac}};
    auto r = psa::decode(psa::connectwise::mapping(), core::SyncEntity::Configuration, wire);
    EXPECT_EQ(r.fields["mac_address"].as_string(), mac);
  }
  EXPECT_FALSE(psa::is_single_mac("00:11:22:33:44:5G"));
  EXPECT_FALSE(psa::is_single_mac("00:11:22:33:44:55:66"));
}

TEST(ConnectWiseCodec, Contact_CommunicationItemsBecomeEmailsAndPhones) {
  json wire = json::parse(R"({"id": 31, "firstName": "Ann", "lastName": "Lee", "company": {"id": 250},
    "types": [{"id": 2, "name": "Approver"}],
    "communicationItems": [
      {"id": 1, "type": {"id": 1, "name": "Email"}, "value": "ann@acme.example", "defaultFlag": true, "communicationType": "Email"},
      {"id": 2, "type": {"id": 2, "name": "Direct"}, "value": "312-555-0100", "extension": "12", "defaultFlag": true, "communicationType": "Phone"},
      {"id": 3, "type": {"id": 3, "name": "Fax"}, "value": "312-555-0199", "defaultFlag": false, "communicationType": "Fax"}]})");
  auto r = psa::decode(psa::connectwise::mapping(), core::SyncEntity::Contact, wire);
  const auto& emails = r.fields["contact_emails"].as_rows();
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0][0].as_string(), "ann@acme.example");
  EXPECT_TRUE(emails[0][2].as_bool());
  const auto& phones = r.fields["contact_phones"].as_rows();
  ASSERT_EQ(phones.size(), 2u);
  EXPECT_EQ(phones[0][1].as_string(), "12");
  EXPECT_EQ(phones[0][3].as_string(), "phone");
  EXPECT_EQ(phones[1][3].as_string(), "fax");
  EXPECT_EQ(r.lookups["contact_type_id"], "Approver");
}

TEST(ConnectWiseCodec, Site_PhoneAndFaxArePsaToCairnOnly) {
  const auto& m = psa::connectwise::mapping();
  int seen = 0;
  for (const auto& row : m) {
    if (row.entity != core::SyncEntity::Location || (row.cairn != "phone" && row.cairn != "fax")) continue;
    EXPECT_EQ(row.direction, psa::Direction::PsaToCairn) << row.cairn;
    ++seen;
  }
  EXPECT_EQ(seen, 2);
}
