// The sync engine against the Tigerpaw emulator over real HTTP, on SQLite and PostgreSQL: every
// request TSI-signed, accounts and contacts listed by advanced search 100 a page, locations
// derived from account and contact addresses (the account's primary, phone without extension,
// fax), active contacts only with each one's details read, no configurations; and the same
// guarantees as the other PSAs (nothing written twice, failures with their reason).
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <tuple>

#include "integration/sim_tigerpaw_harness.h"
#include "integration/sync_harness.h"
#include "psa/tigerpaw/source.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

const json kAllAccounts = json::array({{{"SearchType", "AccountNumber"}, {"MatchType", "GreaterThan"}, {"Criteria", "0"}}});
const json kAllContacts = json::array({{{"SearchType", "LastName"}, {"MatchType", "StartsWith"}, {"Criteria", ""}}});

std::string text(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::string number(const json& v) { return std::to_string(v.get<long long>()); }
using Address = std::tuple<std::string, std::string, std::string, std::string, std::string>;
Address address_of(const json& owner) {
  return {text(owner, "Address1"), text(owner, "Address2"), text(owner, "City"), text(owner, "State"), text(owner, "Country")};
}

class SyncTigerpaw : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    h = std::make_unique<test::SyncHarness>(GetParam());
    sim = std::make_unique<test::TpSim>();
    integration = h->create_integration(input());
  }

  store::IntegrationInput input() {
    store::IntegrationInput in;
    in.kind = "tigerpaw";
    in.name = "Demo Tigerpaw";
    in.base_url = sim->base_url();
    in.credentials = {{"public_key", sim->options().public_key}, {"private_key", sim->options().private_key}};
    core::SyncSettings settings;
    settings.org_types = {"Customer"};
    settings.org_statuses = {"Active"};
    settings.contacts_sync = true;
    in.settings = settings;
    return in;
  }
  void replace_sim(sim::World w) {
    sim = std::make_unique<test::TpSim>(std::move(w));
    h->set_base_url(integration, sim->base_url());
  }
  sync::RunReport sync() { return h->sync(integration); }
  long long count(const std::string& sql) { return h->count(sql); }

  // Every row of a search in the emulator, read with the emulator's own signing, and the pages it took at 100.
  std::vector<json> all(const std::string& entity, int* pages = nullptr) {
    std::vector<json> out;
    const json& criteria = entity == "accounts" ? kAllAccounts : kAllContacts;
    const char* rows = entity == "accounts" ? "Accounts" : "Contacts";
    int n = 0;
    for (long long start = 1; start != 0; ++n) {
      auto r = sim->post("/" + entity + "/search", {{"Criteria", criteria}, {"PageSize", 100}, {"StartRow", start}});
      EXPECT_EQ(r.status, 200) << r.raw;
      if (r.status != 200) break;
      for (const auto& row : r.body[rows]) out.push_back(row);
      start = r.body["NextRow"].get<long long>();
    }
    if (pages) *pages = n;
    return out;
  }
  static bool syncs(const json& account) {
    return account["Account"]["AccountType"] == "Customer" && account["Account"]["Status"] == "Active";
  }
  long requests_where(const json& log, const std::function<bool(const std::string&)>& want) {
    long n = 0;
    for (const auto& r : log["requests"])
      if (want(r["path"].get<std::string>())) n += r["count"].get<long>();
    return n;
  }
  std::string location_of(const std::string& psa_id, const char* column) {
    return h->text(std::string("SELECT CAST(l.") + column + " AS TEXT) FROM locations l JOIN psa_links k ON k.local_id = l.id AND "
                   "k.entity = 'location' WHERE k.psa_id = '" + psa_id + "'");
  }

  std::unique_ptr<test::SyncHarness> h;
  std::unique_ptr<test::TpSim> sim;
  store::Integration integration;
};

TEST_P(SyncTigerpaw, FullSync_AccountsDerivedLocationsAndActiveContactsOnly) {
  // A number with its extension in the text: the location's phone drops it (R10).
  const auto accounts = all("accounts");
  std::string first_syncing;
  for (const auto& a : accounts)
    if (syncs(a)) {
      first_syncing = number(a["AccountNumber"]);
      break;
    }
  ASSERT_FALSE(first_syncing.empty());
  auto added = sim->post("/accounts/" + first_syncing + "/phonenumbers",
                         {{"Number", "+1 518 555 0142 x45"}, {"Location", "Main"}, {"IsPrimary", true}});
  ASSERT_EQ(added.status, 200) << added.raw;

  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");

  std::set<std::string> syncing;
  std::multiset<std::string> names;
  std::map<std::string, Address> account_address;
  for (const auto& a : all("accounts")) {
    if (!syncs(a)) continue;
    syncing.insert(number(a["AccountNumber"]));
    account_address[number(a["AccountNumber"])] = address_of(a["Account"]);
    names.insert(text(a["Account"], "Name"));
    // D6: the account's address is the primary location, with the primary non-fax number and the fax.
    const std::string id = "account:" + number(a["AccountNumber"]);
    EXPECT_EQ(location_of(id, "is_primary"), "1") << id;
    EXPECT_EQ(location_of(id, "name"), text(a["Account"], "Address1")) << id;
    EXPECT_EQ(location_of(id, "fax"), text(a, "FaxNumber").empty() ? "(null)" : text(a, "FaxNumber")) << id;
    if (number(a["AccountNumber"]) != first_syncing) {
      EXPECT_EQ(location_of(id, "phone"), text(a, "PhoneNumber").empty() ? "(null)" : text(a, "PhoneNumber")) << id;
    }
  }
  ASSERT_FALSE(syncing.empty());
  for (const auto& name : names) {
    std::string quoted;
    for (char ch : name) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
    EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name = '" + quoted + "'"),
              static_cast<long long>(names.count(name)))
        << name;
  }
  EXPECT_EQ(location_of("account:" + first_syncing, "phone"), "+1 518 555 0142");
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations"), static_cast<long long>(syncing.size()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM locations WHERE is_primary = 1"), static_cast<long long>(syncing.size()));

  // Active contacts of syncing accounts, and the other addresses they make.
  long long active = 0, inactive = 0;
  std::set<std::pair<std::string, Address>> contact_addresses;
  const auto contacts = all("contacts");
  for (const auto& c : contacts) {
    const std::string account = number(c["Contact"]["AccountNumber"]);
    if (c["Contact"]["Inactive"] == true) {
      ++inactive;
      continue;
    }
    if (!syncing.count(account)) continue;
    ++active;
    const Address home = address_of(c["Contact"]);
    if (home != account_address[account] && home != Address{}) contact_addresses.insert({account, home});
  }
  ASSERT_GT(inactive, 0) << "the demo world has inactive contacts";
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts"), active);
  // Every other contact is skipped with its reason (inactive, or its account does not sync).
  EXPECT_EQ(report.totals.by_entity["contacts"]["skip"], static_cast<std::int64_t>(contacts.size()) - active);
  EXPECT_EQ(count("SELECT COUNT(*) FROM locations WHERE is_primary = 0"), static_cast<long long>(contact_addresses.size()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links WHERE entity = 'location' AND psa_id NOT LIKE 'account:%' AND "
                  "psa_id NOT LIKE 'contact:%'"),
            0);
  // Contacts' phones: numbers without extensions, a type label each; e-mails kept.
  EXPECT_GT(count("SELECT COUNT(*) FROM contact_phones"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM contact_phones WHERE extension IS NOT NULL OR value LIKE '%x%'"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM contact_phones WHERE label_type = 'fax'"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM contact_emails WHERE is_primary = 1"), 0);
  // No configurations, and no configuration types or statuses offered.
  EXPECT_EQ(count("SELECT COUNT(*) FROM configurations"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links WHERE entity = 'configuration'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links"),
            count("SELECT (SELECT COUNT(*) FROM organizations) + (SELECT COUNT(*) FROM locations) + "
                  "(SELECT COUNT(*) FROM contacts)"));
}

TEST_P(SyncTigerpaw, SecondSyncWithNothingChanged_WritesNothing) {
  ASSERT_EQ(sync().state, "done");
  auto before = h->documentation();
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(h->documentation(), before);
  for (const char* e : {"organizations", "locations", "contacts"}) {
    EXPECT_EQ(report.totals.by_entity[e].count("create"), 0u) << e;
    EXPECT_EQ(report.totals.by_entity[e].count("update"), 0u) << e;
  }
}

TEST_P(SyncTigerpaw, ContactMadeInactiveInTigerpaw_IsOrphanedAndKept) {
  ASSERT_EQ(sync().state, "done");
  const std::string psa_id = h->text("SELECT psa_id FROM psa_links WHERE entity = 'contact' ORDER BY id LIMIT 1");
  const std::string local = h->text("SELECT CAST(local_id AS TEXT) FROM psa_links WHERE entity = 'contact' AND psa_id = '" +
                                    psa_id + "'");
  auto changed = sim->admin("PUT", "/records/contacts/" + psa_id, R"({"Inactive": true})");
  ASSERT_EQ(changed.status / 100, 2) << changed.raw;
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(h->text("SELECT state FROM psa_links WHERE entity = 'contact' AND psa_id = '" + psa_id + "'"), "orphaned");
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts WHERE id = " + local), 1);  // D9: an orphan is kept
  EXPECT_EQ(report.totals.by_entity["contacts"]["orphan"], 1);
  // Active again: it syncs again.
  ASSERT_EQ(sim->admin("PUT", "/records/contacts/" + psa_id, R"({"Inactive": false})").status / 100, 2);
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(h->text("SELECT state FROM psa_links WHERE entity = 'contact' AND psa_id = '" + psa_id + "'"), "syncing");
}

TEST_P(SyncTigerpaw, WrongPrivateKey_FailsTheRunWithTheReasonAndTheIntegrationInError) {
  psa::tigerpaw::Source source(sim->base_url(), {sim->options().public_key, "not the private key"});
  auto report = sync::run_sync(h->db(), integration, source, {});
  EXPECT_EQ(report.state, "failed");
  ASSERT_TRUE(report.stopped);
  EXPECT_NE(report.stopped->find("Tigerpaw refused Cairn's TSI signature (401"), std::string::npos) << *report.stopped;
  EXPECT_NE(report.stopped->find("Authorization has been denied for this request."), std::string::npos) << *report.stopped;
  EXPECT_EQ(report.stopped->find("not the private key"), std::string::npos) << "the key is never said";
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations"), 0);
  const std::string where = " FROM integrations WHERE id = " + std::to_string(integration.id);
  EXPECT_EQ(h->text("SELECT state" + where), "error");
  EXPECT_NE(h->text("SELECT state_reason" + where).find("TSI signature"), std::string::npos);
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(h->text("SELECT state" + where), "active");
}

TEST_P(SyncTigerpaw, RequestsPerFullSync_SearchPagesOfOneHundredPlusOneDetailReadPerActiveContact) {
  replace_sim(sim::make_scale_world(5500, 5));  // 110 accounts, 1,100 contacts: more than one page of each
  int account_pages = 0, contact_pages = 0;
  const auto accounts = all("accounts", &account_pages);
  const auto contacts = all("contacts", &contact_pages);
  long active = 0;
  for (const auto& c : contacts) active += c["Contact"]["Inactive"] != true;
  ASSERT_GT(account_pages, 1);
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  auto log = sim->admin("GET", "/requests").body;
  auto ieq = [](std::string a, const std::string& b) {
    for (auto& ch : a) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return a == b;
  };
  // Each list once a run (kept for the next entity), ceil(N / 100) pages; the details of every
  // active contact (inactive ones are skipped from their row); the two master tables.
  EXPECT_EQ(requests_where(log, [&](const std::string& p) { return ieq(p, "/api/accounts/search"); }), account_pages);
  EXPECT_EQ(requests_where(log, [&](const std::string& p) { return ieq(p, "/api/contacts/search"); }), contact_pages);
  const long details = requests_where(log, [](const std::string& p) {
    return p.size() > 8 && p.compare(p.size() - 8, 8, "/details") == 0;
  });
  EXPECT_EQ(details, active);
  EXPECT_EQ(requests_where(log, [](const std::string& p) { return p.find("/mastertables/") != std::string::npos; }), 2);
  EXPECT_EQ(log["total"].get<long>(), account_pages + contact_pages + active + 2);
  EXPECT_EQ(report.requests, log["total"].get<long>());
  std::cout << "[ figures  ] Tigerpaw full sync: " << accounts.size() << " accounts (" << account_pages << " pages), "
            << contacts.size() << " contacts (" << contact_pages << " pages, " << active << " active), "
            << report.requests << " requests, " << report.records << " records\n";
}

TEST_P(SyncTigerpaw, FetchOne_ReadsTheRecordOrSaysItIsGone) {
  psa::tigerpaw::Source source(sim->base_url(), {sim->options().public_key, sim->options().private_key});
  const auto accounts = all("accounts");
  ASSERT_FALSE(accounts.empty());
  const std::string account = number(accounts[0]["AccountNumber"]);
  auto org = source.fetch(core::SyncEntity::Organization, account, "");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->fields["name"].as_string(), text(accounts[0]["Account"], "Name"));
  auto loc = source.fetch(core::SyncEntity::Location, "account:" + account, "");
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->refs["organization_id"].psa_id, account);
  EXPECT_EQ(loc->fields["primary"], core::Value(true));
  EXPECT_FALSE(source.fetch(core::SyncEntity::Organization, "999999", ""));
  EXPECT_FALSE(source.fetch(core::SyncEntity::Contact, "999999", ""));
  EXPECT_THROW(source.fetch(core::SyncEntity::Contact, "12; DROP", ""), psa::tigerpaw::ApiError);
  EXPECT_THROW(source.fetch(core::SyncEntity::Location, "site:4", ""), psa::tigerpaw::ApiError);
  auto names = source.catalogue();
  EXPECT_NE(std::find(names["org_types"].begin(), names["org_types"].end(), "Customer"), names["org_types"].end());
  EXPECT_NE(std::find(names["org_statuses"].begin(), names["org_statuses"].end(), "Active"), names["org_statuses"].end());
  EXPECT_TRUE(names["config_types"].empty());
  EXPECT_TRUE(names["config_statuses"].empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SyncTigerpaw, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
