// The sync engine against the Kaseya BMS emulator over real HTTP, on SQLite and PostgreSQL: the
// token login, lists 100 a page, locations read inside their accounts, accounts and contacts
// pulled incrementally, every asset's full record read within D19's per-endpoint budget, and the
// same guarantees as the other PSAs (nothing written twice, failures with their reason).
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <set>

#include "integration/sim_bms_harness.h"
#include "integration/sync_harness.h"
#include "psa/bms/source.h"
#include "sync/connectors.h"
#include "sync/engine.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

class SyncBms : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    h = std::make_unique<test::SyncHarness>(GetParam());
    sim = std::make_unique<test::KaseyaSim>();
    sim->login();
    integration = h->create_integration(input());
  }

  store::IntegrationInput input() {
    store::IntegrationInput in;
    in.kind = "bms";
    in.name = "Demo BMS";
    in.base_url = sim->base_url();
    in.credentials = {{"username", sim->options().username}, {"password", sim->options().password},
                      {"tenant", sim->options().tenant}};
    core::SyncSettings settings;
    settings.org_types = {"Customer"};
    settings.org_statuses = {"Active"};
    settings.config_types = {"Managed Server", "Managed Workstation", "Firewall"};
    settings.config_statuses = {"Active"};
    settings.contacts_sync = true;
    in.settings = settings;
    return in;
  }
  // A new emulator (another world or limits), with the integration pointed at it.
  void replace_sim(sim::bms::Options o, sim::World w) {
    sim = std::make_unique<test::KaseyaSim>(o, std::move(w));
    sim->login();
    integration.base_url = sim->base_url();
    soci::session s(h->db().pool());
    s << "UPDATE integrations SET base_url = :u", soci::use(integration.base_url);
  }

  // Through make_source, as `cairn sync` builds it.
  sync::RunReport sync(bool full = true) {
    auto source = sync::make_source(integration);
    sync::RunOptions o;
    o.full = full;
    return sync::run_sync(h->db(), integration, *source, o);
  }
  long long count(const std::string& sql) { return h->count(sql); }
  std::string text(const std::string& sql) { return h->text(sql); }

  // Every row of a paged V2 list in the emulator, and the pages it took.
  std::vector<json> all(const std::string& path, int* pages = nullptr) {
    std::vector<json> out;
    for (int page = 1;; ++page) {
      auto r = sim->get(path + "?PageNumber=" + std::to_string(page));
      EXPECT_EQ(r.status, 200) << r.raw;
      for (const auto& row : r.body["result"]) out.push_back(row);
      if (pages) *pages = page;
      if (r.body["result"].size() < 100 || out.size() >= r.body["totalRecords"].get<std::size_t>()) break;
    }
    return out;
  }
  static bool syncs(const json& account) { return account["accountType"] == "Customer" && account["isActive"] == true; }
  long requests_to(const json& log, const std::string& path) {
    long n = 0;
    for (const auto& r : log["requests"])
      if (r["path"] == path) n += r["count"].get<long>();
    return n;
  }

  std::unique_ptr<test::SyncHarness> h;
  std::unique_ptr<test::KaseyaSim> sim;
  store::Integration integration;
};

TEST_P(SyncBms, FullSync_BringsInWhatSyncsAndNothingElse) {
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  std::multiset<std::string> expected;
  std::size_t locations = 0;
  for (const auto& a : all("/crm/accounts/summary"))
    if (syncs(a)) {
      expected.insert(a["accountName"].get<std::string>());
      locations += a["locations"].size();
    }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations"), static_cast<long long>(expected.size()));
  for (const auto& name : expected)
    EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name = '" + name + "'"),
              static_cast<long long>(expected.count(name)))
        << name;
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name = 'Globex Prospects LLC'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name IN ('Acme Inc', 'Acme, Inc.')"), 2);
  // Locations come from inside their accounts, all of a syncing account's, and only those.
  EXPECT_EQ(count("SELECT COUNT(*) FROM locations"), static_cast<long long>(locations));
  EXPECT_GT(count("SELECT COUNT(*) FROM locations WHERE is_primary = 1"), 0);
  // R9: no configuration points at a contact of another organization.
  EXPECT_EQ(count("SELECT COUNT(*) FROM configurations g JOIN contacts c ON c.id = g.contact_id "
                  "WHERE c.organization_id <> g.organization_id"), 0);
  // The full asset record brought what the slim list row lacks: MAC, model, manufacturer.
  EXPECT_GT(count("SELECT COUNT(*) FROM configurations WHERE mac_address IS NOT NULL"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM configurations WHERE manufacturer_id IS NOT NULL AND model_id IS NOT NULL"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM organization_statuses WHERE name IN ('Active', 'Inactive')"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links"),
            count("SELECT (SELECT COUNT(*) FROM organizations) + (SELECT COUNT(*) FROM locations) + "
                  "(SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM configurations)"));
  EXPECT_GT(count("SELECT COUNT(*) FROM contact_emails WHERE label_name = 'Work' AND is_primary = 1"), 0);
  // Point of Contact is Important: as many important contacts as syncing accounts' POCs.
  std::set<std::string> syncing_ids;
  for (const auto& a : all("/crm/accounts/summary"))
    if (syncs(a)) syncing_ids.insert(std::to_string(a["id"].get<long long>()));
  long long pocs = 0;
  for (const auto& c : all("/crm/contacts/summary"))
    if (c["isPoc"] == true && syncing_ids.count(std::to_string(c["accountId"].get<long long>()))) ++pocs;
  EXPECT_GT(pocs, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts WHERE important = 1"), pocs);
}

TEST_P(SyncBms, SecondSyncWithNothingChanged_WritesNothing) {
  ASSERT_EQ(sync().state, "done");
  auto before = h->documentation();
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(h->documentation(), before);
  EXPECT_EQ(report.totals.by_entity["organizations"].count("create"), 0u);
  EXPECT_EQ(report.totals.by_entity["configurations"].count("update"), 0u);
  EXPECT_EQ(report.totals.by_entity["contacts"].count("update"), 0u);
}

TEST_P(SyncBms, ManyRecords_AreListed100APagePlusOneFullReadPerAsset) {
  replace_sim({}, sim::make_scale_world(250, 5));
  int account_pages = 0, contact_pages = 0, asset_pages = 0;
  const auto accounts = all("/crm/accounts/summary", &account_pages);
  all("/crm/contacts/summary", &contact_pages);
  const auto assets = all("/servicedesk/hardwareasset/searchselect", &asset_pages);
  ASSERT_EQ(assets.size(), 250u);
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  auto log = sim->admin("GET", "/requests").body;
  // ceil(N / 100) pages per list; the accounts are listed twice: once for organizations, once
  // for the locations inside them.
  EXPECT_EQ(asset_pages, 3);
  EXPECT_EQ(requests_to(log, "/v2/crm/accounts/summary"), 2 * account_pages);
  EXPECT_EQ(requests_to(log, "/v2/crm/contacts/summary"), contact_pages);
  EXPECT_EQ(requests_to(log, "/v2/servicedesk/hardwareasset/searchselect"), asset_pages);
  long full_reads = 0;
  for (const auto& r : log["requests"])
    if (r["path"].get<std::string>().rfind("/v2/servicedesk/hardwareasset/", 0) == 0 &&
        r["path"] != "/v2/servicedesk/hardwareasset/searchselect")
      full_reads += r["count"].get<long>();
  EXPECT_EQ(full_reads, 250);  // D28 simplified: each listed asset's full record, once
  EXPECT_EQ(requests_to(log, "/v2/security/authenticate"), 1);
  // The look-ups, once per run (R7's catalogue of types and statuses).
  EXPECT_EQ(requests_to(log, "/v2/system/accounttypes/lookup"), 1);
  EXPECT_EQ(requests_to(log, "/v2/system/lookup/AssetCategories"), 1);
  EXPECT_EQ(requests_to(log, "/v2/system/lookup/AssetStates"), 1);
  EXPECT_EQ(log["total"].get<long>(), 2 * account_pages + contact_pages + asset_pages + 250 + 1 + 3);
  EXPECT_EQ(report.requests, log["total"].get<long>());
  EXPECT_GT(count("SELECT COUNT(*) FROM configurations"), 0);
}

TEST_P(SyncBms, ChangeInThePsa_ArrivesIncrementallyWithAnAuditRow) {
  auto full = sync();
  ASSERT_EQ(full.state, "done") << full.stopped.value_or("");
  auto id = text("SELECT psa_id FROM psa_links WHERE entity = 'organization' ORDER BY id LIMIT 1");
  auto old_name = text("SELECT o.name FROM organizations o JOIN psa_links l ON l.local_id = o.id AND l.entity = 'organization' "
                       "WHERE l.psa_id = '" + id + "'");
  ASSERT_EQ(sim->admin("POST", "/clock", R"({"advance_seconds": 60})").status / 100, 2);
  auto changed = sim->admin("PATCH", "/records/accounts/" + id, R"({"accountName": "Renamed In BMS"})");
  ASSERT_EQ(changed.status / 100, 2) << changed.raw;
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  auto report = sync(false);
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name = 'Renamed In BMS'"), 1);
  EXPECT_EQ(text("SELECT old_value FROM audit_events WHERE field = 'name' AND action = 'update' ORDER BY id DESC LIMIT 1"),
            old_name);
  // The incremental pull read the changed account, every location (listed inside all accounts)
  // and every asset (no change filter, D28), but no unchanged account or contact.
  std::size_t locations = 0;
  for (const auto& a : all("/crm/accounts/summary")) locations += a["locations"].size();
  const auto assets = all("/servicedesk/hardwareasset/searchselect");
  EXPECT_EQ(report.records, static_cast<std::int64_t>(1 + locations + assets.size()));
  EXPECT_LT(report.records, full.records);
}

TEST_P(SyncBms, WrongPassword_FailsTheRunWithTheReason) {
  psa::bms::Source source(sim->base_url(), {sim->options().username, "wrong", sim->options().tenant});
  auto report = sync::run_sync(h->db(), integration, source, {});
  EXPECT_EQ(report.state, "failed");
  ASSERT_TRUE(report.stopped);
  EXPECT_NE(report.stopped->find("refused the login"), std::string::npos) << *report.stopped;
  EXPECT_NE(report.stopped->find("Invalid user name, password or tenant"), std::string::npos) << *report.stopped;
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations"), 0);
  const std::string where = " FROM integrations WHERE id = " + std::to_string(integration.id);
  EXPECT_EQ(text("SELECT state" + where), "error");
  EXPECT_NE(text("SELECT state_reason" + where).find("refused the login"), std::string::npos);
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(text("SELECT state" + where), "active");
}

TEST_P(SyncBms, HourlyBudget_CairnStopsBeforeTheEndpointsLimitAndNeverMeetsA429) {
  sim::bms::Options small;
  small.hourly_request_limit = 8;
  replace_sim(small, sim::make_demo_world(1));
  // The source is told the same limit: it stops itself on the full-asset endpoint.
  psa::bms::Source source(sim->base_url(), {sim->options().username, sim->options().password, sim->options().tenant}, {},
                          small.hourly_request_limit);
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  auto report = sync::run_sync(h->db(), integration, source, {});
  EXPECT_EQ(report.state, "failed");
  ASSERT_TRUE(report.stopped);
  EXPECT_NE(report.stopped->find("calls this hour for GET /v2/servicedesk/hardwareasset/{id}"), std::string::npos)
      << *report.stopped;
  auto log = sim->admin("GET", "/requests").body;
  long full_reads = 0;
  for (const auto& r : log["requests"])
    if (r["path"].get<std::string>().rfind("/v2/servicedesk/hardwareasset/", 0) == 0 &&
        r["path"] != "/v2/servicedesk/hardwareasset/searchselect")
      full_reads += r["count"].get<long>();
  EXPECT_EQ(full_reads, 8);
}

TEST_P(SyncBms, FetchOne_ReadsTheRecordOrSaysItIsGone) {
  psa::bms::Source source(sim->base_url(), {sim->options().username, sim->options().password, sim->options().tenant});
  const auto accounts = all("/crm/accounts/summary");
  ASSERT_FALSE(accounts.empty());
  const std::string account = std::to_string(accounts[0]["id"].get<long long>());
  auto org = source.fetch(core::SyncEntity::Organization, account, "");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->fields["name"].as_string(), accounts[0]["accountName"].get<std::string>());
  const std::string location = std::to_string(accounts[0]["locations"][0]["id"].get<long long>());
  auto loc = source.fetch(core::SyncEntity::Location, location, account);
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->refs["organization_id"].psa_id, account);
  EXPECT_FALSE(source.fetch(core::SyncEntity::Configuration, "999999", ""));
  EXPECT_THROW(source.fetch(core::SyncEntity::Contact, "12; DROP", ""), psa::bms::ApiError);
  EXPECT_THROW(source.fetch(core::SyncEntity::Location, location, ""), psa::bms::ApiError);
  auto names = source.catalogue();
  EXPECT_NE(std::find(names["org_types"].begin(), names["org_types"].end(), "Customer"), names["org_types"].end());
  EXPECT_NE(std::find(names["config_types"].begin(), names["config_types"].end(), "Managed Server"),
            names["config_types"].end());
  EXPECT_EQ(names["org_statuses"], (std::vector<std::string>{"Active", "Inactive"}));
}

TEST_P(SyncBms, ExpiredToken_LogsInAgainOnceAndCarriesOn) {
  psa::bms::Source source(sim->base_url(), {sim->options().username, sim->options().password, sim->options().tenant});
  const std::string account = std::to_string(all("/crm/accounts/summary")[0]["id"].get<long long>());
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  ASSERT_TRUE(source.fetch(core::SyncEntity::Organization, account, ""));
  // Past the token's lifetime (B4): the next call is refused once, then Cairn logs in again.
  ASSERT_EQ(sim->admin("POST", "/clock", "{\"advance_seconds\": " +
                                             std::to_string(sim->options().token_lifetime_seconds + 1) + "}").status / 100,
            2);
  ASSERT_TRUE(source.fetch(core::SyncEntity::Organization, account, ""));
  auto log = sim->admin("GET", "/requests").body;
  EXPECT_EQ(requests_to(log, "/v2/security/authenticate"), 2);
  EXPECT_EQ(requests_to(log, "/v2/crm/accounts/summary/" + account), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, SyncBms, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
