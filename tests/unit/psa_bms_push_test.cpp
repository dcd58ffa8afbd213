// Two-way on the Kaseya V2 platform (BMS, Pulseway PSA) as values: change sets through the
// mapping to V2 members, JSON Patch and V1 location bodies, and a contact's e-mails and phones
// as create arrays and PATCH …/emails|phones items with the integration's types (R16).
#include <gtest/gtest.h>

#include "psa/bms/mapping.h"
#include "psa/bms/push_body.h"
#include "psa/push_codec.h"
#include "psa/source.h"

using namespace cairn;
using core::SyncEntity;
using nlohmann::json;

namespace {

// The emulator's picklists (B12, B15) as the connector would read them.
std::optional<std::int64_t> ids(const std::string& table, const std::string& name) {
  const std::map<std::string, std::map<std::string, std::int64_t>> t = {
      {psa::bms::kAccountTypes, {{"Customer", 1}, {"Prospect", 2}}},
      {psa::bms::kCategoriesTable, {{"Managed Server", 5}}},
      {psa::bms::kStatesTable, {{"Active", 1}}},
      {psa::bms::kManufacturersTable, {{"Dell", 3}}},
      {psa::bms::kCountriesTable, {{"United Kingdom", 44}}},
      {psa::bms::kEmailTypesTable, {{"Work", 1}, {"Personal", 2}}},
      {psa::bms::kPhoneTypesTable, {{"Work", 1}, {"Mobile", 2}, {"Home", 3}, {"Fax", 4}}},
  };
  auto it = t.find(table);
  if (it == t.end()) return std::nullopt;
  auto n = it->second.find(name);
  if (n == it->second.end()) return std::nullopt;
  return n->second;
}

json members(const core::PsaRecord& changes) {
  return psa::bms::v2_members(changes.entity, psa::encode(psa::bms::mapping(), changes).members, ids, "Kaseya BMS");
}

core::Value emails(std::vector<std::tuple<std::string, std::string, bool>> rows) {
  core::Rows out;
  for (auto& [v, label, primary] : rows) out.push_back({core::Value(v), label.empty() ? core::Value() : core::Value(label), core::Value(primary)});
  return core::Value(out);
}

core::Value phones(std::vector<std::tuple<std::string, std::string, std::string, bool>> rows) {
  core::Rows out;
  for (auto& [v, label, kind, primary] : rows)
    out.push_back({core::Value(v), core::Value(), label.empty() ? core::Value() : core::Value(label), core::Value(kind),
                   core::Value(primary)});
  return core::Value(out);
}

}  // namespace

TEST(BmsPush, D14_AccountChangesBecomeV2MembersWithTheTypeAsItsId) {
  core::PsaRecord c;
  c.entity = SyncEntity::Organization;
  c.fields["name"] = core::Value("Acme Renamed");
  c.lookups["organization_type_id"] = "Customer";
  c.lookups["organization_status_id"] = "Inactive";
  c.refs["parent_id"] = core::PsaRef{SyncEntity::Organization, "9"};
  const json m = members(c);
  EXPECT_EQ(m, json({{"accountName", "Acme Renamed"}, {"accountTypeId", 1}, {"isActive", false}, {"parentId", 9}}));
  const json ops = psa::bms::patch_operations(m);
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0], json({{"op", "replace"}, {"path", "/accountName"}, {"value", "Acme Renamed"}}));
}

TEST(BmsPush, D14_AssetNamesBecomeIdsAndAnUnknownNameIsRefusedWithItsName) {
  core::PsaRecord c;
  c.entity = SyncEntity::Configuration;
  c.lookups["configuration_type_id"] = "Managed Server";
  c.lookups["manufacturer_id"] = "Dell";
  c.lookups["model_id"] = "R740";
  c.fields["warranty_expires_at"] = core::Value("2027-01-31");
  EXPECT_EQ(members(c), json({{"categoryId", 5}, {"manufacturerId", 3}, {"modelNumber", "R740"},
                              {"warrantyExpirationDate", "2027-01-31T00:00:00Z"}}));
  c.lookups["configuration_status_id"] = "Retired";
  try {
    members(c);
    FAIL() << "an unknown state was accepted";
  } catch (const psa::PushError& e) {
    EXPECT_EQ(e.status, 422);
    EXPECT_EQ(std::string(e.what()), "Kaseya BMS has no asset state named \"Retired\"");
  }
}

TEST(BmsPush, D14_LocationChangesLayOverTheV1Body) {
  core::PsaRecord c;
  c.entity = SyncEntity::Location;
  c.fields["city"] = core::Value("Leeds");
  c.fields["phone"] = core::Value("0113 555 0100");  // two-way here (§2.3), unlike ConnectWise sites
  c.lookups["country_id"] = "United Kingdom";
  const json view = {{"id", 41}, {"accountId", 12}, {"locationName", "HQ"}, {"isMain", true}, {"isActive", true},
                     {"addresses", {{{"address1", "1 Street"}, {"city", "York"}, {"countryId", 1}, {"country", "X"},
                                     {"phone", nullptr}, {"isBilling", true}}}}};
  const json body = psa::bms::v1_location(members(c), psa::bms::v1_location_of_view(view));
  EXPECT_EQ(body, json({{"AccountId", 12}, {"LocationName", "HQ"}, {"IsMain", true}, {"IsActive", true},
                        {"Address1", "1 Street"}, {"City", "Leeds"}, {"CountryId", 44}, {"Phone", "0113 555 0100"}}));
}

TEST(BmsPush, R16_CreateArraysUseTheRowsLabelElseTheIntegrationsType) {
  psa::bms::ContactTypes chosen{"Work", "Mobile"};
  const json e = psa::bms::create_emails(emails({{"a@x.test", "", true}, {"b@x.test", "Personal", false},
                                                 {"c@x.test", "AD Email", false}}),
                                         chosen, ids);
  EXPECT_EQ(e, json::parse(R"([{"emailAddress":"a@x.test","emailTypeId":1,"isDefault":true},
                               {"emailAddress":"b@x.test","emailTypeId":2,"isDefault":false},
                               {"emailAddress":"c@x.test","emailTypeId":1,"isDefault":false}])"));
  const json p = psa::bms::create_phones(phones({{"555-0100", "", "phone", true}, {"555-0199", "Work", "fax", false}}), chosen, ids);
  EXPECT_EQ(p, json::parse(R"([{"phoneNumber":"555-0100","phoneTypeId":2,"isDefault":true},
                               {"phoneNumber":"555-0199","phoneTypeId":4,"isDefault":false}])"));
}

TEST(BmsPush, R16_NoTypeChosenMeansTheRowIsNotSent) {
  psa::bms::ContactTypes none;
  EXPECT_EQ(psa::bms::create_emails(emails({{"a@x.test", "", true}}), none, ids), json::array());
  // A label that names one of the PSA's types still says which.
  EXPECT_EQ(psa::bms::create_emails(emails({{"a@x.test", "Personal", true}}), none, ids).size(), 1u);
}

TEST(BmsPush, D14_EmailOperationsAddUpdateAndDeleteOnlyWhatDiffers) {
  const json current = json::parse(R"([
    {"id": 1, "emailAddress": "keep@x.test", "emailTypeId": 1, "isDefault": true},
    {"id": 2, "emailAddress": "gone@x.test", "emailTypeId": 1, "isDefault": false},
    {"id": 3, "emailAddress": "retype@x.test", "emailTypeId": 1, "isDefault": false}])");
  psa::bms::ContactTypes chosen{"Work", "Work"};
  const json ops = psa::bms::email_operations(
      current, emails({{"keep@x.test", "", true}, {"retype@x.test", "Personal", false}, {"new@x.test", "", false}}), chosen, ids);
  EXPECT_EQ(ops, json::parse(R"([
    {"Operation": 2, "EmailAddress": "gone@x.test"},
    {"Operation": 1, "EmailAddress": "retype@x.test", "NewEmailAddress": "retype@x.test", "TypeId": 2, "IsDefault": false},
    {"Operation": 0, "EmailAddress": "new@x.test", "TypeId": 1, "IsDefault": false}])"));
  // The same list again: nothing to send.
  EXPECT_TRUE(psa::bms::email_operations(current, emails({{"keep@x.test", "Work", true}, {"gone@x.test", "", false},
                                                          {"retype@x.test", "", false}}),
                                         chosen, ids)
                  .empty());
}

TEST(BmsPush, D14_PhoneNumbersCompareWithoutSeparators) {
  // Cairn keeps "+15550100" for the PSA's "+1 555-0100": the same number, nothing to send.
  const json current = json::parse(R"([{"id": 1, "phone": "+1 555-0100", "phoneTypeId": 1, "isDefault": true}])");
  EXPECT_TRUE(psa::bms::phone_operations(current, phones({{"+15550100", "Work", "phone", true}}), {}, ids).empty());
  // A change of type is sent against the PSA's own spelling.
  EXPECT_EQ(psa::bms::phone_operations(current, phones({{"+15550100", "Home", "phone", true}}), {}, ids),
            json::parse(R"([{"Operation":1,"PhoneNumber":"+1 555-0100","NewPhoneNumber":"+1 555-0100","TypeId":3,"IsDefault":true}])"));
}

TEST(BmsPush, D14_PhoneOperationsMoveTheDefault) {
  const json current = json::parse(R"([
    {"id": 1, "phone": "555-0100", "phoneTypeId": 1, "isDefault": true},
    {"id": 2, "phone": "555-0101", "phoneTypeId": 2, "isDefault": false}])");
  const json ops = psa::bms::phone_operations(current, phones({{"555-0100", "", "phone", false}, {"555-0101", "", "phone", true}}),
                                              {"Work", "Work"}, ids);
  EXPECT_EQ(ops, json::parse(R"([
    {"Operation": 1, "PhoneNumber": "555-0100", "NewPhoneNumber": "555-0100", "TypeId": 1, "IsDefault": false},
    {"Operation": 1, "PhoneNumber": "555-0101", "NewPhoneNumber": "555-0101", "TypeId": 2, "IsDefault": true}])"));
}
