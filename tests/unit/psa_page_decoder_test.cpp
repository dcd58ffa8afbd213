// List pages decoded with simdjson give exactly what the nlohmann decode gives, record by record.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "psa/connectwise/mapping.h"
#include "psa/json_codec.h"

using namespace cairn;
using nlohmann::json;

namespace {

void expect_same(const core::PsaRecord& a, const core::PsaRecord& b) {
  EXPECT_EQ(a.entity, b.entity);
  EXPECT_EQ(a.psa_id, b.psa_id);
  EXPECT_EQ(a.fields, b.fields);
  EXPECT_EQ(a.refs, b.refs);
  EXPECT_EQ(a.lookups, b.lookups);
  EXPECT_EQ(a.type_names, b.type_names);
  EXPECT_EQ(a.status_name, b.status_name);
  EXPECT_EQ(a.dropped, b.dropped);
  EXPECT_EQ(a.active, b.active);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

// Decodes `page` both ways and checks they agree; returns the page decoder's records.
std::vector<core::PsaRecord> both_ways(core::SyncEntity e, const std::string& page) {
  std::vector<core::PsaRecord> fast;
  psa::PageDecoder decoder;
  auto n = decoder.decode(psa::connectwise::mapping(), e, page, [&](core::PsaRecord r) { fast.push_back(std::move(r)); });
  EXPECT_TRUE(n.has_value());
  json wire = json::parse(page);
  EXPECT_EQ(n.value_or(0), wire.size());
  EXPECT_EQ(fast.size(), wire.size());
  for (size_t i = 0; i < wire.size() && i < fast.size(); ++i) expect_same(fast[i], psa::decode(psa::connectwise::mapping(), e, wire[i]));
  return fast;
}

}  // namespace

TEST(PageDecoder, Companies_SameAsDecode) {
  auto records = both_ways(core::SyncEntity::Organization, R"([
    {"id": 250, "identifier": "ACME", "name": "Acme \"Inc\" \u00e9", "status": {"id": 1, "name": "Active"},
     "types": [{"id": 3, "name": "Vendor"}, {"id": 1, "name": "Customer"}], "parentCompany": {"id": 7, "name": "Hold"},
     "_info": {"lastUpdated": "2026-01-02T03:04:05Z"}},
    {"id": 251, "name": null, "types": [], "parentCompany": null},
    {"id": 18446744073709551615, "name": 12.5, "identifier": true}])");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields.at("name").as_string(), "Acme \"Inc\" \u00e9");
  EXPECT_EQ(records[2].fields.at("name").as_string(), "12.5");
}

TEST(PageDecoder, ConfigurationsAndContacts_SameAsDecode) {
  both_ways(core::SyncEntity::Configuration, R"([
    {"id": 9, "name": "SRV1", "type": {"id": 1, "name": "Server"}, "status": {"id": 1, "name": "Active"},
     "company": {"id": 250}, "macAddress": "00:11:22:33:44:55, 66:77:88:99:AA:BB", "installationDate": "2024-05-06T00:00:00Z",
     "manufacturer": {"id": 2, "name": "Dell"}, "contact": {"id": 31}, "site": {"id": 4}, "modelNumber": "R740"},
    {"id": 10, "name": "WS", "macAddress": "001122334455", "purchaseDate": "2024", "ipAddress": 10}])");
  both_ways(core::SyncEntity::Contact, R"([
    {"id": 31, "firstName": "Ann", "lastName": "Lee", "company": {"id": 250}, "types": [{"id": 2, "name": "Approver"}],
     "communicationItems": [
      {"id": 1, "type": {"id": 1, "name": "Email"}, "value": "ann@acme.example", "defaultFlag": true, "communicationType": "Email"},
      {"id": 2, "type": {"id": 2, "name": "Direct"}, "value": "312-555-0100", "extension": "12", "communicationType": "Phone"},
      {"id": 3, "value": "312-555-0199", "extension": null, "defaultFlag": false, "communicationType": "Fax"}]},
    {"id": 32, "firstName": "Bo", "communicationItems": null}])");
  both_ways(core::SyncEntity::Location, R"([
    {"id": 4, "name": "Main", "primaryAddressFlag": true, "stateReference": {"name": "Texas"}, "company": {"id": 250}},
    {"id": 5, "name": "Branch", "primaryAddressFlag": "1"}])");
}

TEST(PageDecoder, NotAList_IsRefusedNotDecoded) {
  psa::PageDecoder decoder;
  int called = 0;
  auto each = [&](core::PsaRecord) { ++called; };
  EXPECT_FALSE(decoder.decode(psa::connectwise::mapping(), core::SyncEntity::Organization, R"({"code": "x"})", each));
  EXPECT_FALSE(decoder.decode(psa::connectwise::mapping(), core::SyncEntity::Organization, "[{\"id\": 1", each));
  EXPECT_FALSE(decoder.decode(psa::connectwise::mapping(), core::SyncEntity::Organization, "", each));
  EXPECT_EQ(called, 0);
  EXPECT_EQ(decoder.decode(psa::connectwise::mapping(), core::SyncEntity::Organization, "[]", each), 0u);
}

// A record's members are read from a list built once per record; a nested member ("type/name")
// is still read inside its own object, and of two members with one name the first is read, as
// simdjson's own look-up does (nlohmann's parse keeps the last, so this one is not compared).
TEST(PageDecoder, ARecordsMembersAreFoundByName_TheFirstOfTwoWithOneName) {
  std::vector<core::PsaRecord> got;
  psa::PageDecoder decoder;
  auto n = decoder.decode(psa::connectwise::mapping(), core::SyncEntity::Configuration,
                          R"([{"status": {"name": "Active"}, "name": "first", "id": 9, "name": "second",
                               "type": {"id": 1, "name": "Server"}, "company": {"id": 250}}])",
                          [&](core::PsaRecord r) { got.push_back(std::move(r)); });
  ASSERT_EQ(n.value_or(0), 1u);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].psa_id, "9");
  EXPECT_EQ(got[0].fields.at("name").as_string(), "first");
  EXPECT_EQ(got[0].type_names, std::vector<std::string>{"Server"});
  EXPECT_EQ(got[0].status_name.value_or(""), "Active");
  EXPECT_EQ(got[0].refs.at("organization_id").psa_id, "250");
}
