// The Tigerpaw emulator over real HTTP: TSI-signed requests and their refusals, advanced searches
// paged by StartRow / NextRow, reads, creates, updates, phone/e-mail deletes, the master tables,
// the registry's flags, and admin-path changes bumping the (off-the-wire) last-modified time.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "sim/registry.h"
#include "sim/tigerpaw/tsi_signature.h"
#include "sim_tigerpaw_harness.h"

using namespace cairn;
using nlohmann::json;
using test::SimReply;
using test::TpSim;
using test::wall_now;

namespace {

json criteria(json items, int page_size = 0, int start_row = 0) {
  json body = {{"Criteria", std::move(items)}};
  if (page_size) body["PageSize"] = page_size;
  if (start_row) body["StartRow"] = start_row;
  return body;
}

const json kAllAccounts = json::array({{{"SearchType", "AccountNumber"}, {"MatchType", "GreaterThan"}, {"Criteria", "0"}}});
const json kAllContacts = json::array({{{"SearchType", "LastName"}, {"MatchType", "StartsWith"}, {"Criteria", ""}}});

std::vector<std::int64_t> numbers(const json& list, const char* key) {
  std::vector<std::int64_t> out;
  for (const auto& r : list) out.push_back(r[key].get<std::int64_t>());
  return out;
}

json new_account(const std::string& name) {
  return {{"Account", {{"Name", name}, {"AccountType", "Customer"}, {"Status", "Active"}, {"City", "Albany"}}},
          {"PrimaryPhoneNumber", {{"Number", "+1 518 555 0100"}}}};
}

}  // namespace

TEST(TigerpawSimAuth, ASignedRequestIsAnsweredAndValidateUserSaysSo) {
  TpSim sim;
  auto r = sim.get("/diagnostics/validate/user");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["Success"], true);
  // Date works when X-TSI-Date is absent.
  const std::string stamp = sim::tigerpaw::format_rfc1123(wall_now());
  httplib::Headers h = {{"Authorization", sim::tigerpaw::tsi_authorization(
                                              sim.options().public_key,
                                              sim::tigerpaw::tsi_signature(sim.options().private_key, "GET", "/api/accounts/1", stamp))},
                        {"Date", stamp}};
  EXPECT_EQ(sim.raw("GET", "/api/accounts/1", "", h).status, 200);
}

TEST(TigerpawSimAuth, WrongKeySignatureOrStaleDateGet401WithTheMessageBody) {
  TpSim sim;
  auto expect_401 = [&](const SimReply& r, const char* why) {
    EXPECT_EQ(r.status, 401) << why << ": " << r.raw;
    EXPECT_EQ(r.body["Message"], "Authorization has been denied for this request.") << why;
  };
  expect_401(sim.raw("GET", "/api/accounts/1", "", {}), "no header");
  expect_401(sim.raw("GET", "/api/accounts/1", "", sim.signed_headers("GET", "/api/accounts/1", 0, "not-the-key")),
             "wrong private key");
  expect_401(sim.raw("GET", "/api/accounts/1", "", sim.signed_headers("GET", "/api/accounts/2")), "signature of another path");
  expect_401(sim.raw("GET", "/api/accounts/1", "", sim.signed_headers("GET", "/api/accounts/1", wall_now() - 3600)),
             "an hour old");
  expect_401(sim.raw("GET", "/api/accounts/1", "", sim.signed_headers("GET", "/api/accounts/1", wall_now() + 3600)),
             "an hour ahead");
  httplib::Headers other_public = sim.signed_headers("GET", "/api/accounts/1");
  other_public.erase("Authorization");
  other_public.emplace("Authorization", "TSI " + sim::base64("someone-else:" + sim::tigerpaw::tsi_signature(
                                                                               sim.options().private_key, "GET",
                                                                               "/api/accounts/1",
                                                                               other_public.find("X-TSI-Date")->second)));
  expect_401(sim.raw("GET", "/api/accounts/1", "", other_public), "unknown public key");
}

TEST(TigerpawSimSearch, AccountSearchListsAllPagesInOrderWithTotalCount) {
  TpSim sim(sim::make_scale_world(6000, 5));  // 120 accounts, 1200 contacts
  const std::size_t total = sim.world().companies.size();
  std::vector<std::int64_t> all;
  int start = 1, pages = 0;
  while (start != 0) {
    auto r = sim.post("/accounts/search", criteria(kAllAccounts, 50, start));
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["Success"], true);
    EXPECT_EQ(r.body["PageSize"], 50);
    EXPECT_EQ(r.body["TotalCount"], total);
    for (auto n : numbers(r.body["Accounts"], "AccountNumber")) all.push_back(n);
    start = r.body["NextRow"].get<int>();
    ASSERT_LT(++pages, 10);
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(all.size(), total);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()).size(), total);
}

TEST(TigerpawSimSearch, ContactSearchPagesAreCappedAtTheMaximumPageSize) {
  sim::tigerpaw::Options o;
  o.max_page_size = 40;
  TpSim sim(sim::make_scale_world(500, 2), o);  // 100 contacts
  auto first = sim.post("/contacts/search", criteria(kAllContacts, 1000));
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["PageSize"], 40);
  EXPECT_EQ(first.body["Contacts"].size(), 40u);
  EXPECT_EQ(first.body["NextRow"], 41);
  EXPECT_EQ(first.body["TotalCount"], sim.world().contacts.size());
  auto last = sim.post("/contacts/search", criteria(kAllContacts, 1000, 81));
  EXPECT_EQ(last.body["Contacts"].size(), 20u);
  EXPECT_EQ(last.body["NextRow"], 0);
  // Without PageSize: the default (assumption P4).
  EXPECT_EQ(sim.post("/contacts/search", criteria(kAllContacts)).body["PageSize"], 40);
}

TEST(TigerpawSimSearch, CriteriaOfOneTypeAreOredOfDifferentTypesAnded) {
  TpSim sim;
  json q = json::array({{{"SearchType", "AccountName"}, {"Criteria", "acme"}},
                        {{"SearchType", "AccountName"}, {"Criteria", "Contoso"}},
                        {{"SearchType", "AccountType"}, {"MatchType", "Equal"}, {"Criteria", "Customer"}}});
  auto r = sim.post("/accounts/search", criteria(q));
  ASSERT_EQ(r.status, 200) << r.raw;
  std::vector<std::int64_t> expected;
  for (const auto& c : sim.world().companies)
    if ((c.name.rfind("Acme", 0) == 0 || c.name.rfind("Contoso", 0) == 0) && c.type_id == 1) expected.push_back(c.id);
  ASSERT_GE(expected.size(), 4u);
  EXPECT_EQ(numbers(r.body["Accounts"], "AccountNumber"), expected);
  // A one-field search route.
  auto by_name = sim.post("/accounts/search/name", {{"Criteria", "Northwind Traders"}, {"MatchType", "Equal"}});
  ASSERT_EQ(by_name.status, 200) << by_name.raw;
  EXPECT_EQ(by_name.body["TotalCount"], 2);  // two accounts share the name exactly
  // Contacts by e-mail; the account search by a contact's e-mail finds the account.
  const auto& jane = sim.world().contacts[0];
  auto contact = sim.post("/contacts/search", criteria({{{"SearchType", "Email"}, {"MatchType", "Equal"}, {"Criteria", jane.emails[0]}}}));
  EXPECT_EQ(numbers(contact.body["Contacts"], "ContactNumber"), std::vector<std::int64_t>{jane.id});
  auto account = sim.post("/accounts/search", criteria({{{"SearchType", "Email"}, {"MatchType", "Equal"}, {"Criteria", jane.emails[0]}}}));
  EXPECT_EQ(numbers(account.body["Accounts"], "AccountNumber"), std::vector<std::int64_t>{jane.company_id});
}

TEST(TigerpawSimSearch, BadSearchesGet400WithSuccessFalse) {
  TpSim sim;
  for (const json& body : {json::object(), criteria(json::array()),
                           criteria({{{"SearchType", "Nope"}, {"Criteria", "x"}}}),
                           criteria({{{"SearchType", "AccountNumber"}, {"Criteria", "abc"}}}),
                           criteria(kAllAccounts, -1)}) {
    auto r = sim.post("/accounts/search", body);
    EXPECT_EQ(r.status, 400) << body.dump();
    EXPECT_EQ(r.body["Success"], false) << r.raw;
    EXPECT_TRUE(r.body["Message"].is_string());
  }
  auto not_json = sim.call("POST", "/accounts/search", "{{{");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(sim.get("/accounts/search").status, 405);
}

TEST(TigerpawSimRead, AccountSummaryDetailsAndContactsOfAnAccount) {
  TpSim sim;
  const auto& acme = sim.world().companies[0];
  auto r = sim.get("/accounts/" + std::to_string(acme.id));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["AccountNumber"], acme.id);
  EXPECT_EQ(r.body["Account"]["Name"], acme.name);
  EXPECT_EQ(r.body["Account"]["AccountId"], acme.short_name);
  EXPECT_EQ(r.body["Account"]["AccountType"], "Customer");
  EXPECT_EQ(r.body["Account"]["Status"], "Active");
  EXPECT_EQ(r.body["PhoneNumber"], acme.phone);
  EXPECT_EQ(r.body["FaxNumber"], acme.fax);
  auto child = sim.get("/accounts/6");  // Contoso Retail: parent Contoso Holdings
  EXPECT_EQ(child.body["ParentAccountNumber"], 5);
  auto details = sim.get("/accounts/1/details");
  ASSERT_EQ(details.status, 200);
  EXPECT_EQ(details.body["PhoneNumbers"].size(), 2u);

  std::size_t all = 0, active = 0;
  for (const auto& c : sim.world().contacts)
    if (c.company_id == acme.id) {
      ++all;
      active += !c.inactive;
    }
  ASSERT_LT(active, all);  // the demo has an inactive contact at Acme
  EXPECT_EQ(sim.get("/contacts/account/1").body.size(), all);
  EXPECT_EQ(sim.get("/contacts/account/1?activeOnly=true").body.size(), active);
  EXPECT_EQ(sim.get("/contacts/account/1/true").body.size(), active);
  for (const auto& c : sim.get("/contacts/account/1/true").body) EXPECT_EQ(c["Contact"]["Inactive"], false);

  auto missing = sim.get("/accounts/99999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["Success"], false);
  EXPECT_EQ(sim.get("/nothing/here").status, 404);
  EXPECT_TRUE(sim.get("/nothing/here").body["Message"].is_string());
}

TEST(TigerpawSimRead, ContactDetailsCarryPhonesWithExtensionsFaxesAndEmails) {
  TpSim sim;
  for (const auto& c : sim.world().contacts) {
    auto d = sim.get("/contacts/" + std::to_string(c.id) + "/details");
    ASSERT_EQ(d.status, 200) << d.raw;
    EXPECT_EQ(d.body["Contact"]["Inactive"], c.inactive);
    EXPECT_EQ(d.body["PhoneNumbers"].size(), c.phones.size());
    EXPECT_EQ(d.body["EmailAddresses"].size(), c.emails.size());
    for (const auto& p : c.phones) {
      std::string location;
      for (const auto& wire : d.body["PhoneNumbers"])
        if (wire["Number"] == p.number) location = wire["Location"];
      if (p.kind == sim::Phone::Kind::Fax) {
        EXPECT_EQ(location, "Fax");
      }
      if (p.kind == sim::Phone::Kind::Work && !p.extension.empty()) {
        EXPECT_EQ(location, "Ext. " + p.extension);
      }
    }
  }
  auto types = sim.get("/mastertables/accounts/types");
  ASSERT_EQ(types.status, 200);
  EXPECT_EQ(types.body.size(), sim.world().company_types.size());
  EXPECT_EQ(sim.get("/mastertables/accounts/statuses").body.size(), sim.world().company_statuses.size());
  EXPECT_GE(sim.get("/mastertables/phonelocations").body.size(), 5u);
}

TEST(TigerpawSimWrite, CreateAndUpdateAccountAndContact) {
  TpSim sim;
  auto created = sim.post("/accounts", new_account("New Co"));
  ASSERT_EQ(created.status, 200) << created.raw;
  EXPECT_EQ(created.body["Success"], true);
  const auto account = created.body["AccountSummary"]["AccountNumber"].get<std::int64_t>();
  EXPECT_GT(account, static_cast<std::int64_t>(sim.world().companies.size()));
  EXPECT_EQ(created.body["AccountSummary"]["PhoneNumber"], "+1 518 555 0100");

  auto updated = sim.put("/accounts/" + std::to_string(account), {{"City", "Troy"}, {"Status", "inactive"}});
  ASSERT_EQ(updated.status, 200) << updated.raw;
  auto got = sim.get("/accounts/" + std::to_string(account));
  EXPECT_EQ(got.body["Account"]["City"], "Troy");
  EXPECT_EQ(got.body["Account"]["Status"], "Inactive");  // the master table's spelling
  EXPECT_EQ(got.body["Account"]["Name"], "New Co");      // left out: kept (P11)

  auto contact = sim.post("/contacts", {{"Contact", {{"AccountNumber", account}, {"FirstName", "Ann"}, {"LastName", "Lee"}}},
                                        {"PrimaryEmailAddress", {{"Email", "ann@new.example"}}}});
  ASSERT_EQ(contact.status, 200) << contact.raw;
  const auto number = contact.body["ContactSummary"]["ContactNumber"].get<std::int64_t>();
  EXPECT_EQ(contact.body["ContactSummary"]["EmailAddress"], "ann@new.example");
  ASSERT_EQ(sim.put("/contacts/" + std::to_string(number), {{"Inactive", true}, {"Title", "CTO"}}).status, 200);
  auto c = sim.get("/contacts/" + std::to_string(number));
  EXPECT_EQ(c.body["Contact"]["Inactive"], true);
  EXPECT_EQ(c.body["Contact"]["Title"], "CTO");
  EXPECT_EQ(sim.get("/accounts/" + std::to_string(account)).body["NumberOfContacts"], 1);
  EXPECT_TRUE(sim.get("/contacts/account/" + std::to_string(account) + "?activeOnly=true").body.empty());
}

TEST(TigerpawSimWrite, ValidationFailuresAnd405ForDeletesOfAccountsAndContacts) {
  TpSim sim;
  json no_type = new_account("X");
  no_type["Account"].erase("AccountType");
  auto r = sim.post("/accounts", no_type);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["Success"], false);
  json bad_status = new_account("X");
  bad_status["Account"]["Status"] = "Sleeping";
  EXPECT_EQ(sim.post("/accounts", bad_status).status, 400);
  EXPECT_EQ(sim.post("/contacts", {{"Contact", {{"AccountNumber", 99999}, {"FirstName", "A"}, {"LastName", "B"}}}}).status, 400);
  EXPECT_EQ(sim.put("/accounts/1", {{"Name", ""}}).status, 400);
  EXPECT_EQ(sim.get("/accounts/1").body["Account"]["Name"], sim.world().companies[0].name);  // unchanged
  auto del = sim.del("/accounts/1");
  EXPECT_EQ(del.status, 405);
  EXPECT_TRUE(del.body["Message"].is_string());
  EXPECT_EQ(sim.del("/contacts/1").status, 405);
  EXPECT_EQ(sim.get("/accounts/1").status, 200);
}

TEST(TigerpawSimWrite, PhoneNumbersAndEmailsAreAddedChangedAndDeleted) {
  TpSim sim;
  auto added = sim.post("/contacts/1/phonenumbers", {{"Number", "+1 212 555 0177"}, {"Location", "Ext. 42"}});
  ASSERT_EQ(added.status, 200) << added.raw;
  const auto id = added.body["Number"]["PhoneNumberId"].get<std::int64_t>();
  auto one = sim.get("/contacts/1/phonenumbers/" + std::to_string(id));
  EXPECT_EQ(one.body["Location"], "Ext. 42");
  ASSERT_EQ(sim.put("/contacts/1/phonenumbers/" + std::to_string(id), {{"Location", "Mobile"}}).status, 200);
  EXPECT_EQ(sim.get("/contacts/1/phonenumbers/" + std::to_string(id)).body["Location"], "Mobile");
  auto deleted = sim.del("/contacts/1/phonenumbers?id=" + std::to_string(id));
  ASSERT_EQ(deleted.status, 200) << deleted.raw;
  EXPECT_EQ(deleted.body["Success"], true);
  EXPECT_EQ(sim.get("/contacts/1/phonenumbers/" + std::to_string(id)).status, 404);
  EXPECT_EQ(sim.del("/contacts/1/phonenumbers?id=" + std::to_string(id)).status, 404);

  auto email = sim.post("/contacts/1/emails", {{"Email", "jane.alt@acme.example"}, {"IsPrimary", true}});
  ASSERT_EQ(email.status, 200) << email.raw;
  EXPECT_EQ(sim.get("/contacts/1").body["EmailAddress"], "jane.alt@acme.example");  // the new primary
  const auto eid = email.body["EmailAddress"]["EmailAddressId"].get<std::int64_t>();
  EXPECT_EQ(sim.del("/contacts/1/emails?id=" + std::to_string(eid)).status, 200);
  EXPECT_EQ(sim.post("/contacts/1/emails", {{"Email", "not-an-address"}}).status, 400);
  // Account phones: setting a new primary fax moves FaxNumber.
  ASSERT_EQ(sim.post("/accounts/1/phonenumbers", {{"Number", "+1 212 555 0999"}, {"Location", "Fax"}, {"IsPrimary", true}}).status, 200);
  EXPECT_EQ(sim.get("/accounts/1").body["FaxNumber"], "+1 212 555 0999");
}

TEST(TigerpawSimAdmin, AdminChangesBumpLastModifiedAndShowThroughTheApi) {
  TpSim sim;
  auto before = sim.admin("GET", "/last-modified/accounts/2");
  ASSERT_EQ(before.status, 200) << before.raw;
  sim.admin("POST", "/clock", R"({"advance_seconds": 600})");
  auto r = sim.admin("PUT", "/records/accounts/2", R"({"Name":"Acme Incorporated","ParentAccountNumber":1})");
  ASSERT_EQ(r.status, 200) << r.raw;
  auto after = sim.admin("GET", "/last-modified/accounts/2");
  EXPECT_GT(after.body["last_modified"].get<std::string>(), before.body["last_modified"].get<std::string>());
  auto got = sim.get("/accounts/2");
  EXPECT_EQ(got.body["Account"]["Name"], "Acme Incorporated");
  EXPECT_EQ(got.body["ParentAccountNumber"], 1);
  EXPECT_FALSE(got.raw.find("Modified") != std::string::npos);  // no modified date on the wire (P14)

  // A contact deactivated by a PSA user leaves the active list; its time moves too.
  auto c_before = sim.admin("GET", "/last-modified/contacts/1").body["last_modified"].get<std::string>();
  ASSERT_EQ(sim.admin("PUT", "/records/contacts/1", R"({"Inactive":true})").status, 200);
  EXPECT_GT(sim.admin("GET", "/last-modified/contacts/1").body["last_modified"].get<std::string>(), c_before);
  EXPECT_EQ(sim.get("/contacts/1").body["Contact"]["Inactive"], true);
  // API writes bump it as well.
  sim.admin("POST", "/clock", R"({"advance_seconds": 600})");
  const auto mid = sim.admin("GET", "/last-modified/contacts/1").body["last_modified"].get<std::string>();
  ASSERT_EQ(sim.put("/contacts/1", {{"Title", "CIO"}}).status, 200);
  EXPECT_GT(sim.admin("GET", "/last-modified/contacts/1").body["last_modified"].get<std::string>(), mid);

  auto made = sim.admin("POST", "/records/accounts", new_account("Admin Co").dump());
  ASSERT_EQ(made.status, 201) << made.raw;
  const auto n = json::parse(made.raw)["AccountSummary"]["AccountNumber"].get<std::int64_t>();
  EXPECT_EQ(sim.get("/accounts/" + std::to_string(n)).body["Account"]["Name"], "Admin Co");
  EXPECT_EQ(sim.admin("DELETE", "/records/contacts/2").status, 204);
  EXPECT_EQ(sim.get("/contacts/2").status, 404);
  EXPECT_EQ(sim.admin("DELETE", "/records/widgets/1").status, 404);
  EXPECT_EQ(sim.admin("PUT", "/records/accounts/1", R"({"Status":"Nope"})").status, 400);
  auto status = sim.admin("GET", "");
  EXPECT_EQ(status.body["status"]["records"]["contacts"], sim.world().contacts.size() - 1);
}

TEST(TigerpawSimRegistry, TigerpawKindIsAvailableWithKeyFlags) {
  sim::Settings s = {{"tsi-public-key", "11111111-2222-3333-4444-555555555555"}, {"tsi-private-key", "PK"},
                     {"max-page-size", "25"}};
  auto made = sim::make_emulator("tigerpaw", sim::make_demo_world(1), s);
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<sim::Emulator>>(made)) << std::get<std::string>(made);
  auto& e = *std::get<std::unique_ptr<sim::Emulator>>(made);
  e.set_base_url("http://127.0.0.1:1");
  auto ready = json::parse(e.ready_json());
  EXPECT_EQ(ready["kind"], "tigerpaw");
  EXPECT_EQ(ready["public_key"], "11111111-2222-3333-4444-555555555555");
  EXPECT_EQ(ready["private_key"], "PK");
  EXPECT_EQ(ready["api_url"], "http://127.0.0.1:1/api");
  EXPECT_EQ(ready["max_page_size"], 25);
  EXPECT_TRUE(std::holds_alternative<std::string>(sim::make_emulator("tigerpaw", sim::make_demo_world(1), {{"max-page-size", "0"}})));
  EXPECT_TRUE(std::holds_alternative<std::string>(sim::make_emulator("tigerpaw", sim::make_demo_world(1), {{"clock-skew-seconds", "x"}})));
}
