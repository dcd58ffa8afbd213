// The Kaseya BMS emulator over real HTTP: form login and Bearer tokens, V2's envelope, paged
// lists with Filter.X parameters, reads and writes of accounts, locations (V1), contacts and
// hardware assets, the hourly budget per endpoint, and admin changes stamping modifiedOn.
#include <gtest/gtest.h>

#include <csignal>
#include <set>

#include "sim/registry.h"
#include "sim_bms_harness.h"

using namespace cairn;
using nlohmann::json;
using test::expect_failure;
using test::KaseyaSim;
using test::result_ids;

namespace {

std::string str(std::int64_t n) { return std::to_string(n); }

// A location of world company `company` (its main site first).
std::int64_t site_of(const sim::World& w, std::int64_t company) {
  for (const auto& s : w.sites)
    if (s.company_id == company && s.primary) return s.id;
  return 0;
}

json new_asset(const KaseyaSim& sim, const std::string& name) {
  return {{"name", name}, {"accountId", sim.id(1)}, {"accountLocationId", sim.id(site_of(sim.world(), 1))},
          {"categoryId", 1}, {"serialNumber", "SN-" + name}, {"macAddress", "00:11:22:33:44:55"}};
}

}  // namespace

TEST(BmsSimAuth, LoginIssuesTokensThatAuthoriseCalls) {
  KaseyaSim sim;
  auto r = sim.authenticate(sim.options().username, sim.options().password, sim.options().tenant);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["success"], true);
  EXPECT_TRUE(r.body["error"].is_null());
  for (const char* f : {"accessToken", "refreshToken", "accessTokenExpireOn", "refreshTokenExpireOn"})
    EXPECT_TRUE(r.body["result"][f].is_string()) << f;
  sim.login();
  auto me = sim.get("/security/userinfo");
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body["result"]["tenant"], sim.options().tenant);
  EXPECT_EQ(me.body["result"]["product"], "Kaseya BMS");
}

TEST(BmsSimAuth, WrongCredentialsGet401SecurityErrorAndMissingTenant400) {
  KaseyaSim sim;
  for (auto [user, pass, tenant] : {std::tuple<std::string, std::string, std::string>{"cairn-api", "wrong", "CairnSim"},
                                    {"nobody", "SimPassword0001", "CairnSim"},
                                    {"cairn-api", "SimPassword0001", "OtherTenant"}}) {
    auto r = sim.authenticate(user, pass, tenant);
    expect_failure(r, 401);
    EXPECT_EQ(r.body["error"]["code"], 978001) << user << "/" << tenant;
    EXPECT_TRUE(r.body["error"].contains("stackStrace"));
  }
  auto no_tenant = sim.post_form("/v2/security/authenticate",
                                 {{"GrantType", "password"}, {"UserName", "cairn-api"}, {"Password", "SimPassword0001"}});
  expect_failure(no_tenant, 400);
  EXPECT_NE(no_tenant.body["error"]["message"].get<std::string>().find("Tenant"), std::string::npos);
}

TEST(BmsSimAuth, CallsWithoutAValidTokenGet401AndExpiredTokensStopWorking) {
  sim::bms::Options o;
  o.token_lifetime_seconds = 60;
  KaseyaSim sim(o);
  expect_failure(sim.get("/crm/accounts/summary"), 401);  // no token yet
  sim.set_token("not-a-token");
  auto bad = sim.get("/crm/accounts/summary");
  expect_failure(bad, 401);
  EXPECT_EQ(bad.body["error"]["code"], 978001);
  sim.login();
  EXPECT_EQ(sim.get("/crm/accounts/summary").status, 200);
  sim.admin("POST", "/clock", R"({"advance_seconds": 61})");
  expect_failure(sim.get("/crm/accounts/summary"), 401);
  // The refresh token (still valid) gets a new pair once.
  auto refreshed = sim.post_form("/v2/security/refreshtoken",
                                 {{"AccessToken", sim.token()}, {"RefreshToken", sim.refresh_token()}});
  ASSERT_EQ(refreshed.status, 200) << refreshed.raw;
  auto again = sim.post_form("/v2/security/refreshtoken",
                             {{"AccessToken", sim.token()}, {"RefreshToken", sim.refresh_token()}});
  expect_failure(again, 401);
  sim.set_token(refreshed.body["result"]["accessToken"]);
  EXPECT_EQ(sim.get("/crm/accounts/summary").status, 200);
}

TEST(BmsSimList, AssetsPageByHundredsWithTotalRecordsToTheEnd) {
  KaseyaSim sim({}, sim::make_scale_world(250, 5));
  sim.login();
  std::vector<std::int64_t> all;
  int pages = 0;
  for (int page = 1;; ++page) {
    auto r = sim.get("/servicedesk/hardwareasset/searchselect?PageNumber=" + str(page));
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["totalRecords"], 250);
    const auto ids = result_ids(r);
    all.insert(all.end(), ids.begin(), ids.end());
    ++pages;
    if (ids.size() < 100) break;  // a short page is the last
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(all.size(), 250u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), 250u);
  // A larger PageSize is capped at 100, a smaller one honoured, a page past the end is empty.
  EXPECT_EQ(sim.get("/servicedesk/hardwareasset/searchselect?PageSize=1000").body["result"].size(), 100u);
  EXPECT_EQ(sim.get("/servicedesk/hardwareasset/searchselect?pageSize=30&pageNumber=2").body["result"][0]["id"], all[30]);
  auto past = sim.get("/servicedesk/hardwareasset/searchselect?PageNumber=9");
  EXPECT_TRUE(past.body["result"].empty());
  EXPECT_EQ(past.body["totalRecords"], 250);
  expect_failure(sim.get("/servicedesk/hardwareasset/searchselect?PageNumber=0"), 400);
}

TEST(BmsSimList, AssetRowsAreSlimAndTheFullRecordHasTheMappedFields) {
  KaseyaSim sim;
  sim.login();
  auto list = sim.get("/servicedesk/hardwareasset/searchselect");
  ASSERT_EQ(list.status, 200) << list.raw;
  const json row = list.body["result"][0];
  EXPECT_TRUE(row.contains("assetName"));
  EXPECT_FALSE(row.contains("macAddress"));
  EXPECT_FALSE(row.contains("modifiedOn"));
  auto one = sim.get("/servicedesk/hardwareasset/" + str(row["id"]));
  ASSERT_EQ(one.status, 200) << one.raw;
  EXPECT_EQ(one.body["result"]["name"], row["assetName"]);
  EXPECT_TRUE(one.body["result"]["modifiedOn"].is_string());
  // The demo's multi-MAC device keeps its long field.
  bool long_mac = false;
  for (const auto& c : sim.world().configurations)
    if (c.mac_address.size() > 17)
      long_mac = sim.get("/servicedesk/hardwareasset/" + str(c.id)).body["result"]["macAddress"] == c.mac_address;
  EXPECT_TRUE(long_mac);
  expect_failure(sim.get("/servicedesk/hardwareasset/999999"), 404);
}

TEST(BmsSimList, AccountsEmbedLocationsAndLookupsNameTypes) {
  KaseyaSim sim;
  sim.login();
  auto r = sim.get("/crm/accounts/summary");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["totalRecords"], sim.world().companies.size());
  const json first = r.body["result"][0];
  EXPECT_EQ(first["accountName"], sim.world().companies[0].name);
  ASSERT_FALSE(first["locations"].empty());
  EXPECT_EQ(first["locations"][0]["isMain"], true);
  EXPECT_TRUE(first["locations"][0]["addresses"][0].contains("zipCode"));
  auto types = sim.get("/system/accounttypes/lookup");
  ASSERT_EQ(types.status, 200);
  ASSERT_EQ(types.body["result"].size(), sim.world().company_types.size());
  EXPECT_TRUE(types.body["result"][2]["isVendor"].get<bool>());
  auto cats = sim.get("/system/lookup/AssetCategories");
  EXPECT_EQ(cats.body["result"].size(), sim.world().configuration_types.size());
  expect_failure(sim.get("/system/lookup/NoSuchTable"), 404);
  // The lookup hides inactive accounts unless asked.
  std::size_t active = 0;
  const auto all_accounts = sim.get("/crm/accounts/summary");
  for (const auto& a : all_accounts.body["result"]) active += a["isActive"].get<bool>();
  EXPECT_EQ(sim.get("/crm/accounts/lookup").body["result"].size(), active);
  EXPECT_EQ(sim.get("/crm/accounts/lookup?WithInactiveAccounts=true").body["result"].size(),
            sim.world().companies.size());
  EXPECT_EQ(result_ids(sim.get("/crm/accounts/lookup?Ids=2,3")), (std::vector<std::int64_t>{2, 3}));
}

TEST(BmsSimFilter, FiltersNarrowListsAndBadFiltersAre400) {
  KaseyaSim sim;
  sim.login();
  auto acme = sim.get("/crm/accounts/summary?Filter.AccountName=acme");
  ASSERT_EQ(acme.status, 200) << acme.raw;
  std::vector<std::int64_t> expected;
  for (const auto& c : sim.world().companies)
    if (c.name.find("Acme") != std::string::npos) expected.push_back(c.id);
  EXPECT_EQ(result_ids(acme), expected);
  EXPECT_EQ(acme.body["totalRecords"], expected.size());

  auto servers = sim.get("/servicedesk/hardwareasset/searchselect?Filter.CategoryIds=1,5&Filter.IsActive=true");
  std::vector<std::int64_t> want;
  for (const auto& c : sim.world().configurations)
    if ((c.type_id == 1 || c.type_id == 5) && c.active) want.push_back(c.id);
  EXPECT_EQ(result_ids(servers), want);

  auto poc = sim.get("/crm/contacts/search?Filter.IsPoc=true&Filter.AccountIds=1");
  for (const auto& c : poc.body["result"]) {
    EXPECT_EQ(c["isPoc"], true);
    EXPECT_EQ(c["accountId"], 1);
  }
  const std::string email = sim.world().contacts[0].emails.at(0);
  auto by_email = sim.get("/crm/contacts/search?Filter.EmailAddress=" + email);
  ASSERT_FALSE(by_email.body["result"].empty()) << by_email.raw;
  EXPECT_EQ(by_email.body["result"][0]["id"], sim.world().contacts[0].id);

  auto unknown = sim.get("/crm/accounts/summary?Filter.Nope=1");
  expect_failure(unknown, 400);
  EXPECT_NE(unknown.body["error"]["message"].get<std::string>().find("Filter.Nope"), std::string::npos);
  expect_failure(sim.get("/crm/accounts/summary?Filter.ModifiedOnFrom=last-week"), 400);
  expect_failure(sim.get("/servicedesk/hardwareasset/searchselect?Filter.IsActive=maybe"), 400);
}

TEST(BmsSimWrite, AssetsCreateUpdateDeleteAndStampModifiedOn) {
  KaseyaSim sim;
  sim.login();
  auto created = sim.post("/servicedesk/hardwareasset", new_asset(sim, "SRV-NEW-1"));
  ASSERT_EQ(created.status, 200) << created.raw;
  EXPECT_EQ(created.body["success"], true);
  const auto id = created.body["result"]["id"].get<std::int64_t>();
  EXPECT_EQ(created.body["result"]["category"], sim.world().configuration_types[0].name);
  const std::string stamped = created.body["result"]["modifiedOn"];

  sim.admin("POST", "/clock", R"({"advance_seconds": 300})");
  json whole = new_asset(sim, "SRV-NEW-1b");
  whole["stateId"] = 2;
  auto put = sim.put("/servicedesk/hardwareasset/" + str(id), whole);
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_EQ(put.body["result"]["name"], "SRV-NEW-1b");
  EXPECT_EQ(put.body["result"]["state"], sim.world().configuration_statuses[1].name);
  EXPECT_GT(put.body["result"]["modifiedOn"].get<std::string>(), stamped);
  EXPECT_EQ(put.body["result"]["createdOn"], created.body["result"]["createdOn"]);

  json missing_field = new_asset(sim, "X");
  missing_field.erase("accountLocationId");
  expect_failure(sim.put("/servicedesk/hardwareasset/" + str(id), missing_field), 400);
  expect_failure(sim.put("/servicedesk/hardwareasset/999999", whole), 404);
  expect_failure(sim.call("PATCH", "/servicedesk/hardwareasset/" + str(id), "[]"), 405);

  ASSERT_EQ(sim.del("/servicedesk/hardwareasset/" + str(id)).status, 200);
  expect_failure(sim.get("/servicedesk/hardwareasset/" + str(id)), 404);
  expect_failure(sim.del("/servicedesk/hardwareasset/" + str(id)), 404);
}

TEST(BmsSimWrite, ContactsCreatePatchPutWithPocAndDelete) {
  KaseyaSim sim;
  sim.login();
  json body = {{"accountId", 2}, {"firstName", "Ann"}, {"lastName", "Lee"}, {"jobTitle", "CTO"},
               {"emails", {{{"emailAddress", "ann@x.example"}, {"emailTypeId", 1}, {"isDefault", true}}}},
               {"phones", {{{"phoneNumber", "+1 555 0100"}, {"phoneTypeId", 2}}}}};
  auto created = sim.post("/crm/contacts/summary", body);
  ASSERT_EQ(created.status, 200) << created.raw;
  const auto id = created.body["result"]["id"].get<std::int64_t>();
  EXPECT_EQ(created.body["result"]["phones"][0]["phoneType"], "Mobile");
  EXPECT_EQ(created.body["result"]["phones"][0]["isDefault"], true);

  auto patched = sim.patch("/crm/contacts/" + str(id),
                           json::array({{{"op", "replace"}, {"path", "/JobTitle"}, {"value", "CEO"}},
                                        {{"op", "add"}, {"path", "/emails/-"},
                                         {"value", {{"emailAddress", "ann2@x.example"}, {"emailTypeId", 2}}}}}));
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body["result"]["jobTitle"], "CEO");
  ASSERT_EQ(patched.body["result"]["emails"].size(), 2u);
  EXPECT_EQ(patched.body["result"]["emails"][0]["id"], created.body["result"]["emails"][0]["id"]);
  expect_failure(sim.patch("/crm/contacts/" + str(id), json::array({{{"op", "copy"}, {"path", "/jobTitle"}}})), 400);

  json whole = body;
  whole["poc"] = true;  // PUT spells the flag "poc"
  auto put = sim.put("/crm/contacts/" + str(id), whole);
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_EQ(put.body["result"]["isPoc"], true);
  EXPECT_EQ(put.body["result"]["jobTitle"], "CTO");
  EXPECT_EQ(sim.get("/crm/contacts/summary/" + str(id)).body["result"]["isPoc"], true);

  json other_location = body;
  other_location["locationId"] = site_of(sim.world(), 1);  // a location of account 1, not 2
  expect_failure(sim.post("/crm/contacts/summary", other_location), 400);

  ASSERT_EQ(sim.del("/crm/contacts/" + str(id)).status, 200);
  expect_failure(sim.get("/crm/contacts/summary/" + str(id)), 404);
}

TEST(BmsSimWrite, B21_ContactEmailsAndPhonesPatchAddUpdateDeleteAllOrNothing) {
  KaseyaSim sim;
  sim.login();
  json body = {{"accountId", 2}, {"firstName", "Ann"}, {"lastName", "Lee"},
               {"emails", {{{"emailAddress", "ann@x.example"}, {"emailTypeId", 1}, {"isDefault", true}},
                           {{"emailAddress", "old@x.example"}, {"emailTypeId", 1}}}},
               {"phones", {{{"phoneNumber", "+1 555 0100"}, {"phoneTypeId", 1}}}}};
  auto created = sim.post("/crm/contacts/summary", body);
  ASSERT_EQ(created.status, 200) << created.raw;
  const std::string id = str(created.body["result"]["id"].get<std::int64_t>());
  auto r = sim.patch("/crm/contacts/" + id + "/emails", json::parse(R"([
      {"Operation": 2, "EmailAddress": "old@x.example"},
      {"Operation": 0, "EmailAddress": "new@x.example", "TypeId": 2, "IsDefault": true},
      {"operation": 1, "emailAddress": "ann@x.example", "newEmailAddress": "ann@y.example"}])"));
  ASSERT_EQ(r.status, 200) << r.raw;
  const json emails = r.body["result"]["emails"];  // the answer is the contact
  ASSERT_EQ(emails.size(), 2u);
  EXPECT_EQ(emails[0]["emailAddress"], "ann@y.example");
  EXPECT_EQ(emails[0]["isDefault"], false);  // the new default cleared it
  EXPECT_EQ(emails[1]["emailAddress"], "new@x.example");
  EXPECT_EQ(emails[1]["emailType"], "Personal");
  EXPECT_EQ(emails[1]["isDefault"], true);
  // An unknown address, an unknown type or a duplicate add is 400 and changes nothing.
  expect_failure(sim.patch("/crm/contacts/" + id + "/emails",
                           json::parse(R"([{"Operation": 2, "EmailAddress": "new@x.example"},
                                           {"Operation": 1, "EmailAddress": "nobody@x.example"}])")),
                 400);
  expect_failure(sim.patch("/crm/contacts/" + id + "/emails",
                           json::parse(R"([{"Operation": 0, "EmailAddress": "t@x.example", "TypeId": 99}])")),
                 400);
  expect_failure(sim.patch("/crm/contacts/" + id + "/emails",
                           json::parse(R"([{"Operation": 0, "EmailAddress": "new@x.example"}])")),
                 400);
  EXPECT_EQ(sim.get("/crm/contacts/summary/" + id).body["result"]["emails"], emails);
  r = sim.patch("/crm/contacts/" + id + "/phones",
                json::parse(R"([{"Operation": 0, "PhoneNumber": "+1 555 0199", "TypeId": 4}])"));
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["result"]["phones"].size(), 2u);
  EXPECT_EQ(r.body["result"]["phones"][1]["phoneType"], "Fax");
  EXPECT_EQ(r.body["result"]["phones"][0]["isDefault"], true);
  expect_failure(sim.patch("/crm/contacts/999999/phones", json::array()), 404);
  expect_failure(sim.patch("/crm/contacts/" + id + "/phones", json::object()), 400);
}

TEST(BmsSimWrite, AccountsCreateWithLocationsPatchAndHaveNoDelete) {
  KaseyaSim sim;
  sim.login();
  json body = {{"AccountName", "New Co"}, {"AccountCode", "NEWCO"}, {"AccountTypeId", 1}, {"BusinessTypeId", 1},
               {"AccountManagerId", 1},
               {"Locations", {{{"LocationName", "HQ"}, {"Addresses", {{{"Address1", "1 Main St"}, {"City", "Albany"}}}}}}}};
  auto created = sim.post("/crm/accounts", body);
  ASSERT_EQ(created.status, 200) << created.raw;
  const auto id = created.body["result"]["id"].get<std::int64_t>();
  ASSERT_EQ(created.body["result"]["locations"].size(), 1u);
  EXPECT_EQ(created.body["result"]["locations"][0]["addresses"][0]["city"], "Albany");
  json no_locations = body;
  no_locations.erase("Locations");
  expect_failure(sim.post("/crm/accounts", no_locations), 400);

  auto patched = sim.patch("/crm/accounts/" + str(id),
                           json::array({{{"op", "replace"}, {"path", "/ParentId"}, {"value", 1}},
                                        {{"op", "replace"}, {"path", "/IsActive"}, {"value", false}}}));
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body["result"]["parentId"], 1);
  EXPECT_EQ(patched.body["result"]["isActive"], false);
  EXPECT_EQ(patched.body["result"]["locations"].size(), 1u);  // kept
  expect_failure(sim.patch("/crm/accounts/" + str(id), json::array({{{"op", "replace"}, {"path", "/ParentId"}, {"value", id}}})),
                 400);
  expect_failure(sim.del("/crm/accounts/" + str(id)), 405);
}

TEST(BmsSimWrite, LocationsAreReadThroughTheAccountAndWrittenThroughV1) {
  KaseyaSim sim;
  sim.login();
  auto lookup = sim.get("/crm/accounts/1/locations/lookup");
  ASSERT_EQ(lookup.status, 200) << lookup.raw;
  ASSERT_FALSE(lookup.body["result"].empty());
  const auto loc = lookup.body["result"][0]["id"].get<std::int64_t>();
  auto one = sim.get("/crm/accounts/1/locations/" + str(loc));
  ASSERT_EQ(one.status, 200) << one.raw;
  EXPECT_EQ(one.body["result"]["locationName"], lookup.body["result"][0]["name"]);
  expect_failure(sim.get("/crm/accounts/2/locations/" + str(loc)), 404);

  // V1 has its own token; a V2 token is not accepted there.
  auto v2_token = sim.raw("POST", "/api/crm/locations", "{}", sim.bearer());
  EXPECT_EQ(v2_token.status, 401);
  auto bad = sim.post_form("/api/token", {{"grant_type", "password"}, {"username", "x"}, {"password", "y"}, {"tenant", "z"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"], "invalid_grant");
  auto tok = sim.post_form("/api/token", {{"grant_type", "password"},
                                          {"username", sim.options().username},
                                          {"password", sim.options().password},
                                          {"tenant", sim.options().tenant}});
  ASSERT_EQ(tok.status, 200) << tok.raw;
  EXPECT_EQ(tok.body["token_type"], "bearer");
  const httplib::Headers v1 = {{"Authorization", "Bearer " + tok.body["access_token"].get<std::string>()}};

  const std::string before = sim.get("/crm/accounts/summary/1").body["result"]["modifiedOn"];
  sim.admin("POST", "/clock", R"({"advance_seconds": 60})");
  json body = {{"AccountId", 1}, {"LocationName", "Warehouse 2"}, {"Address1", "9 Dock Rd"}, {"City", "Albany"},
               {"CountryId", 1}, {"Phone", "+1 518 555 0101"}};
  auto created = sim.raw("POST", "/api/crm/locations", body.dump(), v1);
  ASSERT_EQ(created.status, 200) << created.raw;
  const auto id = created.body["id"].get<std::int64_t>();
  EXPECT_EQ(created.body["addresses"][0]["phone"], "+1 518 555 0101");
  body["City"] = "Troy";
  auto put = sim.raw("PUT", "/api/crm/locations/" + str(id), body.dump(), v1);
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_EQ(put.body["addresses"][0]["city"], "Troy");
  auto account = sim.get("/crm/accounts/summary/1").body["result"];
  EXPECT_GT(account["modifiedOn"].get<std::string>(), before);  // the account's row changed
  EXPECT_EQ(account["locations"].back()["locationName"], "Warehouse 2");
  auto invalid = sim.raw("POST", "/api/crm/locations", json{{"AccountId", 1}}.dump(), v1);
  EXPECT_EQ(invalid.status, 400);
  EXPECT_TRUE(invalid.body["Message"].is_string()) << invalid.raw;
}

TEST(BmsSimLimits, EachEndpointHasItsOwnHourlyBudget) {
  sim::bms::Options o;
  o.hourly_request_limit = 3;
  KaseyaSim sim(o);
  sim.login();  // authenticate is its own endpoint
  for (int i = 0; i < 3; ++i) ASSERT_EQ(sim.get("/servicedesk/hardwareasset/" + str(i + 1)).status, 200);
  auto over = sim.get("/servicedesk/hardwareasset/4");
  expect_failure(over, 429);
  EXPECT_FALSE(over.header("Retry-After").empty());
  EXPECT_NE(over.body["error"]["message"].get<std::string>().find("hardwareasset/{id}"), std::string::npos);
  // Another endpoint still answers; an hour later the budget is back.
  EXPECT_EQ(sim.get("/servicedesk/hardwareasset/searchselect").status, 200);
  sim.admin("POST", "/clock", R"({"advance_seconds": 3600})");
  sim.login();
  EXPECT_EQ(sim.get("/servicedesk/hardwareasset/4").status, 200);
}

TEST(BmsSimAdmin, AdminChangesBumpModifiedOnAndShowInChangedSinceQueries) {
  KaseyaSim sim;
  sim.login();
  const std::int64_t cid = sim.world().contacts[0].id;
  const std::string before = sim.get("/crm/contacts/summary/" + str(cid)).body["result"]["modifiedOn"];
  sim.admin("POST", "/clock", R"({"advance_seconds": 86400000})");
  sim.login();  // the old token expired with the jump  // far past every seeded stamp
  const std::string now = sim.admin("GET", "/clock").body["now"];
  auto upd = sim.admin("PATCH", "/records/contacts/" + str(cid), R"({"jobTitle":"Head of IT"})");
  ASSERT_EQ(upd.status, 200) << upd.raw;
  auto after = sim.get("/crm/contacts/summary/" + str(cid)).body["result"];
  EXPECT_EQ(after["jobTitle"], "Head of IT");
  EXPECT_GT(after["modifiedOn"].get<std::string>(), before);
  EXPECT_EQ(after["modifiedOn"], now);
  auto since = sim.get("/crm/contacts/summary?Filter.ModifiedOnFrom=" + now);
  EXPECT_EQ(result_ids(since), std::vector<std::int64_t>{cid});

  auto created = sim.admin("POST", "/records/hardwareassets", new_asset(sim, "ADMIN-1").dump());
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(json::parse(created.raw)["modifiedOn"], now);
  auto acc = sim.admin("PATCH", "/records/accounts/1", R"({"accountName":"Acme Renamed"})");
  ASSERT_EQ(acc.status, 200) << acc.raw;
  EXPECT_EQ(result_ids(sim.get("/crm/accounts/summary?Filter.ModifiedOnFrom=" + now)), std::vector<std::int64_t>{1});
  EXPECT_EQ(sim.admin("DELETE", "/records/contacts/" + str(cid)).status, 204);
  expect_failure(sim.get("/crm/contacts/summary/" + str(cid)), 404);
  EXPECT_EQ(sim.admin("PATCH", "/records/accounts/1", R"({"accountTypeId":99})").status, 400);
  EXPECT_EQ(sim.admin("PATCH", "/records/nothing/1", "{}").status, 404);
}

TEST(BmsSimRoutes, UnknownRoutesAndVerbsAnswerInTheEnvelope) {
  KaseyaSim sim;
  sim.login();
  expect_failure(sim.get("/crm/nothing"), 404);
  expect_failure(sim.raw("GET", "/elsewhere", "", sim.bearer()), 404);
  expect_failure(sim.call("DELETE", "/crm/accounts/summary"), 405);
  expect_failure(sim.call("POST", "/crm/contacts/summary", "{not json"), 400);
}

TEST(BmsSimCli, PsaSimKindBmsPrintsTheReadyLineWithCredentials) {
  test::ChildProcess child({CAIRN_BINARY, "psa-sim", "--kind", "bms", "--listen", "127.0.0.1:0", "--seed", "demo",
                            "--username", "cli-user", "--password", "cli-pass", "--tenant", "CliTenant",
                            "--hourly-request-limit", "50"});
  ASSERT_TRUE(child.started());
  const std::string line = child.read_line();
  auto ready = json::parse(line, nullptr, false);
  ASSERT_TRUE(ready.is_object()) << "ready line: " << line;
  EXPECT_EQ(ready["kind"], "bms");
  EXPECT_EQ(ready["username"], "cli-user");
  EXPECT_EQ(ready["tenant"], "CliTenant");
  EXPECT_EQ(ready["hourly_request_limit"], 50);
  const std::string base = ready["base_url"];
  httplib::Client client(base);
  auto r = client.Post("/v2/security/authenticate",
                       httplib::Params{{"GrantType", "password"}, {"UserName", "cli-user"}, {"Password", "cli-pass"},
                                       {"Tenant", "CliTenant"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(child.signal_and_wait(SIGTERM), 0);
}
