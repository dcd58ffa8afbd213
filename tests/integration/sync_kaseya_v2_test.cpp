// The sync engine against the Kaseya V2 platform emulators, Kaseya BMS and Pulseway PSA, over real
// HTTP, on SQLite and PostgreSQL: one suite for both PSAs, since they share the connector
// (src/psa/bms/ with the product's Platform) and every scenario. The token login, lists 100 a
// page, locations read inside their accounts, accounts and contacts pulled incrementally, every
// asset's full record read within D19's per-endpoint budget, the PSA's own 429 turned into a
// clear stop, and the same guarantees as the other PSAs (nothing written twice, failures with
// their reason). Pulseway's record ids pass 32 bits (its emulator offsets them, P2).
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "integration/sim_bms_harness.h"
#include "integration/sync_harness.h"
#include "psa/bms/source.h"
#include "psa/pulseway/platform.h"
#include "sim/pulseway/options.h"
#include "sync/connectors.h"
#include "sync/engine.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

using Param = std::tuple<Backend, std::string>;  // database, PSA kind

class SyncKaseyaV2 : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(backend());
    h = std::make_unique<test::SyncHarness>(backend());
    sim = std::make_unique<test::KaseyaSim>(options());
    sim->login();
    integration = h->create_integration(input());
  }

  Backend backend() const { return std::get<0>(GetParam()); }
  const std::string& kind() const { return std::get<1>(GetParam()); }
  bool pulseway() const { return kind() == "pulseway"; }
  const psa::bms::Platform& platform() const { return pulseway() ? psa::pulseway::platform() : psa::bms::kaseya_bms(); }
  // The emulator's default options for this PSA (its profile and credentials).
  sim::bms::Options options() const { return pulseway() ? sim::pulseway::default_options() : sim::bms::Options{}; }

  store::IntegrationInput input() {
    store::IntegrationInput in;
    in.kind = kind();
    in.name = "Demo " + std::string(platform().product);
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
  // A source built directly, to set what make_source does not: other credentials, HTTP options, budget.
  psa::bms::Source source(const std::string& password, net::HttpClientOptions http = {},
                          int hourly = psa::bms::kHourlyCallsPerEndpoint) {
    return psa::bms::Source(platform(), sim->base_url(), {sim->options().username, password, sim->options().tenant},
                            std::move(http), hourly);
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
  // GET servicedesk/hardwareasset/{id}: the full asset reads (D28).
  long full_asset_reads(const json& log) {
    long n = 0;
    for (const auto& r : log["requests"])
      if (r["path"].get<std::string>().rfind("/v2/servicedesk/hardwareasset/", 0) == 0 &&
          r["path"] != "/v2/servicedesk/hardwareasset/searchselect")
        n += r["count"].get<long>();
    return n;
  }

  std::unique_ptr<test::SyncHarness> h;
  std::unique_ptr<test::KaseyaSim> sim;
  store::Integration integration;
};

TEST_P(SyncKaseyaV2, FullSync_BringsInWhatSyncsAndNothingElse) {
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
  EXPECT_EQ(h->configurations_with_another_organizations_contact(), 0);  // R9
  // The full asset record brought what the slim list row lacks: MAC, model, manufacturer.
  EXPECT_GT(count("SELECT COUNT(*) FROM configurations WHERE mac_address IS NOT NULL"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM configurations WHERE manufacturer_id IS NOT NULL AND model_id IS NOT NULL"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM organization_statuses WHERE name IN ('Active', 'Inactive')"), 2);
  EXPECT_EQ(h->records_without_one_link(), 0);
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
  // Every syncing account is linked under its id as the PSA writes it, whole (Pulseway's pass 32 bits).
  for (const auto& id : syncing_ids)
    EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links WHERE entity = 'organization' AND psa_id = '" + id + "'"), 1) << id;
  if (pulseway()) {
    EXPECT_GT(count("SELECT COUNT(*) FROM psa_links WHERE LENGTH(psa_id) >= 10"), 0) << "Pulseway ids are large (P2)";
  }
}

TEST_P(SyncKaseyaV2, SecondSyncWithNothingChanged_WritesNothing) {
  ASSERT_EQ(sync().state, "done");
  auto before = h->documentation();
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(h->documentation(), before);
  EXPECT_EQ(report.totals.by_entity["organizations"].count("create"), 0u);
  EXPECT_EQ(report.totals.by_entity["configurations"].count("update"), 0u);
  EXPECT_EQ(report.totals.by_entity["contacts"].count("update"), 0u);
}

TEST_P(SyncKaseyaV2, ManyRecords_AreListed100APagePlusOneFullReadPerAsset) {
  replace_sim(options(), sim::make_scale_world(250, 5));
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
  EXPECT_EQ(full_asset_reads(log), 250);  // D28 simplified: each listed asset's full record, once
  EXPECT_EQ(requests_to(log, "/v2/security/authenticate"), 1);
  // The look-ups, once per run (R7's catalogue of types and statuses).
  EXPECT_EQ(requests_to(log, "/v2/system/accounttypes/lookup"), 1);
  EXPECT_EQ(requests_to(log, "/v2/system/lookup/AssetCategories"), 1);
  EXPECT_EQ(requests_to(log, "/v2/system/lookup/AssetStates"), 1);
  EXPECT_EQ(log["total"].get<long>(), 2 * account_pages + contact_pages + asset_pages + 250 + 1 + 3);
  EXPECT_EQ(report.requests, log["total"].get<long>());
  EXPECT_GT(count("SELECT COUNT(*) FROM configurations"), 0);
}

TEST_P(SyncKaseyaV2, ChangeInThePsa_ArrivesIncrementallyWithAnAuditRow) {
  auto full = sync();
  ASSERT_EQ(full.state, "done") << full.stopped.value_or("");
  auto id = text("SELECT psa_id FROM psa_links WHERE entity = 'organization' ORDER BY id LIMIT 1");
  auto old_name = text("SELECT o.name FROM organizations o JOIN psa_links l ON l.local_id = o.id AND l.entity = 'organization' "
                       "WHERE l.psa_id = '" + id + "'");
  ASSERT_EQ(sim->admin("POST", "/clock", R"({"advance_seconds": 60})").status / 100, 2);
  auto changed = sim->admin("PATCH", "/records/accounts/" + id, R"({"accountName": "Renamed In The PSA"})");
  ASSERT_EQ(changed.status / 100, 2) << changed.raw;
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  auto report = sync(false);
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name = 'Renamed In The PSA'"), 1);
  EXPECT_EQ(text("SELECT old_value FROM audit_events WHERE field = 'name' AND action = 'update' ORDER BY id DESC LIMIT 1"),
            old_name);
  EXPECT_EQ(text("SELECT new_value FROM audit_events WHERE field = 'name' AND action = 'update' ORDER BY id DESC LIMIT 1"),
            "Renamed In The PSA");
  // The incremental pull read the changed account, every location (listed inside all accounts)
  // and every asset (no change filter, D28), but no unchanged account or contact.
  std::size_t locations = 0;
  for (const auto& a : all("/crm/accounts/summary")) locations += a["locations"].size();
  const auto assets = all("/servicedesk/hardwareasset/searchselect");
  EXPECT_EQ(report.records, static_cast<std::int64_t>(1 + locations + assets.size()));
  EXPECT_LT(report.records, full.records);
}

TEST_P(SyncKaseyaV2, WrongPassword_FailsTheRunWithTheReason) {
  auto wrong = source("wrong");
  auto report = sync::run_sync(h->db(), integration, wrong, {});
  EXPECT_EQ(report.state, "failed");
  ASSERT_TRUE(report.stopped);
  EXPECT_NE(report.stopped->find(std::string(platform().product) + " refused the login"), std::string::npos)
      << *report.stopped;
  EXPECT_NE(report.stopped->find("Invalid user name, password or tenant"), std::string::npos) << *report.stopped;
  EXPECT_EQ(report.stopped->find("wrong"), std::string::npos) << "the password is never shown: " << *report.stopped;
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations"), 0);
  const std::string where = " FROM integrations WHERE id = " + std::to_string(integration.id);
  EXPECT_EQ(text("SELECT state" + where), "error");
  EXPECT_NE(text("SELECT state_reason" + where).find("refused the login"), std::string::npos);
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(text("SELECT state" + where), "active");
}

TEST_P(SyncKaseyaV2, HourlyBudget_CairnStopsBeforeTheEndpointsLimitAndNeverMeetsA429) {
  sim::bms::Options small = options();
  small.hourly_request_limit = 8;
  replace_sim(small, sim::make_demo_world(1));
  // The source is told the same limit: it stops itself on the full-asset endpoint.
  auto budgeted = source(sim->options().password, {}, small.hourly_request_limit);
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  auto report = sync::run_sync(h->db(), integration, budgeted, {});
  EXPECT_EQ(report.state, "failed");
  ASSERT_TRUE(report.stopped);
  EXPECT_NE(report.stopped->find("calls this hour for GET /v2/servicedesk/hardwareasset/{id}"), std::string::npos)
      << *report.stopped;
  EXPECT_NE(report.stopped->find(std::string(platform().product)), std::string::npos) << *report.stopped;
  EXPECT_EQ(full_asset_reads(sim->admin("GET", "/requests").body), 8);
}

TEST_P(SyncKaseyaV2, PsaAnswers429_TheRunStopsWithTheLimitNamed) {
  // The PSA's limit is lower than Cairn believes (another tool spends the same budget): its 429
  // ends the run with a reason a person can act on. One attempt: Retry-After here is most of an hour.
  sim::bms::Options small = options();
  small.hourly_request_limit = 8;
  replace_sim(small, sim::make_demo_world(1));
  net::HttpClientOptions once;
  once.max_attempts = 1;
  auto unaware = source(sim->options().password, once);
  auto report = sync::run_sync(h->db(), integration, unaware, {});
  EXPECT_EQ(report.state, "failed");
  ASSERT_TRUE(report.stopped);
  EXPECT_NE(report.stopped->find(std::string(platform().product) + "'s hourly call limit is exceeded (429"),
            std::string::npos)
      << *report.stopped;
  EXPECT_NE(report.stopped->find("the rest waits for the next run"), std::string::npos) << *report.stopped;
  const std::string where = " FROM integrations WHERE id = " + std::to_string(integration.id);
  EXPECT_EQ(text("SELECT state" + where), "error");
}

TEST_P(SyncKaseyaV2, ShortThrottle_IsWaitedOutAndTheSyncCompletes) {
  // A 429 with a Retry-After of a second (the emulator's throttle fault): honoured, then the run goes on.
  ASSERT_EQ(sim->admin("PUT", "/faults", R"({"throttle": "15/1"})").status / 100, 2);
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_GT(count("SELECT COUNT(*) FROM configurations"), 0);
  ASSERT_EQ(sim->admin("PUT", "/faults", R"({})").status / 100, 2);
  EXPECT_GT(report.requests, 15) << "enough requests that the throttle was met";
}

TEST_P(SyncKaseyaV2, FetchOne_ReadsTheRecordOrSaysItIsGone) {
  auto direct = source(sim->options().password);
  const auto accounts = all("/crm/accounts/summary");
  ASSERT_FALSE(accounts.empty());
  const std::string account = std::to_string(accounts[0]["id"].get<long long>());
  auto org = direct.fetch(core::SyncEntity::Organization, account, "");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->psa_id, account);
  EXPECT_EQ(org->fields["name"].as_string(), accounts[0]["accountName"].get<std::string>());
  const std::string location = std::to_string(accounts[0]["locations"][0]["id"].get<long long>());
  auto loc = direct.fetch(core::SyncEntity::Location, location, account);
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->refs["organization_id"].psa_id, account);
  EXPECT_FALSE(direct.fetch(core::SyncEntity::Configuration, "999999", ""));
  EXPECT_THROW(direct.fetch(core::SyncEntity::Contact, "12; DROP", ""), psa::bms::ApiError);
  EXPECT_THROW(direct.fetch(core::SyncEntity::Location, location, ""), psa::bms::ApiError);
  auto names = direct.catalogue();
  EXPECT_NE(std::find(names["org_types"].begin(), names["org_types"].end(), "Customer"), names["org_types"].end());
  EXPECT_NE(std::find(names["config_types"].begin(), names["config_types"].end(), "Managed Server"),
            names["config_types"].end());
  EXPECT_EQ(names["org_statuses"], (std::vector<std::string>{"Active", "Inactive"}));
}

TEST_P(SyncKaseyaV2, ExpiredToken_LogsInAgainOnceAndCarriesOn) {
  auto direct = source(sim->options().password);
  const std::string account = std::to_string(all("/crm/accounts/summary")[0]["id"].get<long long>());
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  ASSERT_TRUE(direct.fetch(core::SyncEntity::Organization, account, ""));
  // Past the token's lifetime (B4): the next call is refused once, then Cairn logs in again.
  ASSERT_EQ(sim->admin("POST", "/clock", "{\"advance_seconds\": " +
                                             std::to_string(sim->options().token_lifetime_seconds + 1) + "}").status / 100,
            2);
  ASSERT_TRUE(direct.fetch(core::SyncEntity::Organization, account, ""));
  auto log = sim->admin("GET", "/requests").body;
  EXPECT_EQ(requests_to(log, "/v2/security/authenticate"), 2);
  EXPECT_EQ(requests_to(log, "/v2/crm/accounts/summary/" + account), 3);
}

INSTANTIATE_TEST_SUITE_P(BackendsAndPsas, SyncKaseyaV2,
                         ::testing::Combine(::testing::Values(Backend::Sqlite, Backend::Postgres),
                                            ::testing::Values(std::string("bms"), std::string("pulseway"))),
                         [](const auto& info) {
                           return test::backend_name(std::get<0>(info.param)) + "_" + std::get<1>(info.param);
                         });

}  // namespace
