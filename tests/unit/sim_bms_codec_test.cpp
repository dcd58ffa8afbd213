// Kaseya V2 records on the wire: camelCase views, the slim asset list row, request bodies read in
// any case with the platform's validation, and JSON-Patch over a record's view.
#include <gtest/gtest.h>

#include "sim/bms/codec.h"
#include "sim/bms/json_patch.h"
#include "sim/bms/seed.h"
#include "sim/world.h"

using namespace cairn::sim;
using namespace cairn::sim::bms;
using nlohmann::json;
namespace core = cairn::core;

namespace {

template <typename T>
std::string error_of(const std::variant<T, std::string>& r) {
  const auto* e = std::get_if<std::string>(&r);
  return e ? *e : "";
}

}  // namespace

TEST(BmsCodec, AssetViewHasEveryMappedFieldAndTheListRowIsSlim) {
  const Store s = seed_store(make_demo_world(1), 0);
  const Asset& a = s.assets.begin()->second;
  const json full = as_json([&](core::JsonWriter& w) { write_asset(w, s, a); });
  for (const char* f : {"id", "name", "accountId", "accountLocationId", "contactId", "categoryId", "category", "stateId",
                        "state", "manufacturerId", "manufacturer", "modelNumber", "serialNumber", "assetTag",
                        "description", "isActive", "ipAddress", "defaultGateway", "macAddress", "osType", "osInfo",
                        "warrantyExpirationDate", "acquisitionDate", "locationInfo", "createdOn", "modifiedOn"})
    EXPECT_TRUE(full.contains(f)) << f;
  const json row = as_json([&](core::JsonWriter& w) { write_asset_row(w, s, a); });
  EXPECT_EQ(row["assetName"], a.name);
  EXPECT_EQ(row["categoryName"], full["category"]);
  for (const char* f : {"macAddress", "modelNumber", "modifiedOn", "assetTag", "manufacturer"})
    EXPECT_FALSE(row.contains(f)) << f;
}

TEST(BmsCodec, ReadsBodiesInAnyCaseAndRefusesBadValues) {
  const Store s = seed_store(make_demo_world(1), 0);
  const Id account = s.accounts.begin()->first;
  const Id location = s.accounts.begin()->second.location_ids.front();
  json body = {{"Name", "SRV-NEW"}, {"ACCOUNTID", account}, {"accountLocationId", location}, {"CategoryId", 1},
               {"macAddress", "00:11:22:33:44:55,66:77:88:99:AA:BB"}, {"WarrantyExpirationDate", "2027-01-31"}};
  auto r = read_asset(body, Asset{}, s);
  ASSERT_EQ(error_of(r), "");
  const Asset a = std::get<Asset>(r);
  EXPECT_EQ(a.name, "SRV-NEW");
  EXPECT_EQ(a.account_id, account);
  EXPECT_EQ(a.mac_address.size(), 35u);  // several MACs are kept as written
  EXPECT_EQ(format_utc(a.warranty_expires), "2027-01-31T00:00:00Z");

  body.erase("CategoryId");
  EXPECT_NE(error_of(read_asset(body, Asset{}, s)).find("categoryId"), std::string::npos);
  body["categoryId"] = 999;
  EXPECT_NE(error_of(read_asset(body, Asset{}, s)).find("category"), std::string::npos);
  body["categoryId"] = "1";
  EXPECT_NE(error_of(read_asset(body, Asset{}, s)).find("categoryId"), std::string::npos);
  body["categoryId"] = 1;
  // A location of another account is refused.
  Id other_location = 0;
  for (const auto& [id, l] : s.locations)
    if (l.account_id != account) other_location = id;
  body["accountLocationId"] = other_location;
  EXPECT_NE(error_of(read_asset(body, Asset{}, s)).find("does not belong"), std::string::npos);
}

TEST(BmsCodec, ContactPocFlagIsReadUnderTheRoutesSpelling) {
  const Store s = seed_store(make_demo_world(1), 0);
  const Id account = s.accounts.begin()->first;
  json body = {{"accountId", account}, {"firstName", "Ann"}, {"lastName", "Lee"}, {"poc", true},
               {"phones", {{{"phoneNumber", "+1 212 555 0100"}, {"phoneTypeId", 1}}}},
               {"emails", {{{"emailAddress", "ann@x.example"}, {"emailTypeId", 1}}}}};
  const bms::Contact put = std::get<bms::Contact>(read_contact(body, bms::Contact{}, s, "poc"));
  EXPECT_TRUE(put.is_poc);
  ASSERT_EQ(put.phones.size(), 1u);
  EXPECT_EQ(put.phones[0].number, "+1 212 555 0100");
  EXPECT_EQ(put.emails[0].address, "ann@x.example");
  // Where the route spells it isPoc, "poc" is an unknown field and ignored.
  EXPECT_FALSE(std::get<bms::Contact>(read_contact(body, bms::Contact{}, s, "isPoc")).is_poc);
  body["phones"][0]["phoneTypeId"] = 77;
  EXPECT_NE(error_of(read_contact(body, bms::Contact{}, s, "poc")).find("phone type"), std::string::npos);
}

TEST(BmsCodec, AccountCreateNeedsLocationsAndKnownLookups) {
  const Store s = seed_store(make_demo_world(1), 0);
  json body = {{"accountName", "New Co"}, {"accountTypeId", 1}, {"businessTypeId", 1}, {"accountManagerId", 1}};
  EXPECT_EQ(error_of(read_account(body, Account{}, s)), "");
  EXPECT_NE(error_of(read_new_locations(body, s)).find("locations"), std::string::npos);
  body["locations"] = {{{"locationName", "HQ"}, {"addresses", {{{"city", "Albany"}, {"countryId", 1}}}}},
                       {{"LocationName", "Annex"}}};
  auto locs = std::get<std::vector<Location>>(read_new_locations(body, s));
  ASSERT_EQ(locs.size(), 2u);
  EXPECT_TRUE(locs[0].is_main);
  EXPECT_FALSE(locs[1].is_main);
  EXPECT_EQ(locs[0].city, "Albany");
  body["accountTypeId"] = 99;
  EXPECT_NE(error_of(read_account(body, Account{}, s)).find("account type"), std::string::npos);
  body["accountTypeId"] = 1;
  body["accountManagerId"] = 99;
  EXPECT_NE(error_of(read_account(body, Account{}, s)).find("account manager"), std::string::npos);
}

TEST(BmsJsonPatch, ReplacesAddsAndRemovesByCaseInsensitivePaths) {
  json doc = {{"stateId", 1}, {"name", "a"}, {"emails", json::array({{{"emailAddress", "x@y"}}})}};
  ASSERT_EQ(apply_json_patch(doc, json::array({{{"op", "replace"}, {"path", "/StateId"}, {"value", 2}},
                                               {{"op", "remove"}, {"path", "/NAME"}},
                                               {{"op", "add"}, {"path", "/emails/-"}, {"value", {{"emailAddress", "z@y"}}}},
                                               {{"op", "replace"}, {"path", "/emails/0/EmailAddress"}, {"value", "w@y"}}})),
            "");
  EXPECT_EQ(doc["stateId"], 2);
  EXPECT_TRUE(doc["name"].is_null());
  ASSERT_EQ(doc["emails"].size(), 2u);
  EXPECT_EQ(doc["emails"][0]["emailAddress"], "w@y");
}

TEST(BmsJsonPatch, RefusesWhatItCannotApply) {
  json doc = {{"stateId", 1}, {"list", json::array()}};
  EXPECT_FALSE(apply_json_patch(doc, json::object()).empty());
  EXPECT_FALSE(apply_json_patch(doc, json::array()).empty());
  EXPECT_FALSE(apply_json_patch(doc, json::array({{{"op", "move"}, {"path", "/stateId"}, {"from", "/x"}}})).empty());
  EXPECT_FALSE(apply_json_patch(doc, json::array({{{"op", "replace"}, {"path", "/nope"}, {"value", 1}}})).empty());
  EXPECT_FALSE(apply_json_patch(doc, json::array({{{"op", "replace"}, {"path", "stateId"}, {"value", 1}}})).empty());
  EXPECT_FALSE(apply_json_patch(doc, json::array({{{"op", "replace"}, {"path", "/stateId"}}})).empty());
  EXPECT_FALSE(apply_json_patch(doc, json::array({{{"op", "replace"}, {"path", "/list/0"}, {"value", 1}}})).empty());
}
