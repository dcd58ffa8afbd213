// The sync engine against the Autotask emulator over real HTTP, on SQLite and PostgreSQL: the
// zone look-up, JSON queries 500 a page, picklist and product look-ups read once, D26's active
// flags as statuses, D19's budget, and the same guarantees as ConnectWise (nothing written twice,
// resumable after SIGKILL).
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <set>
#include <thread>

#include "integration/sim_harness.h"
#include "integration/sync_harness.h"
#include "net/http_client.h"
#include "psa/autotask/client.h"
#include "psa/autotask/source.h"
#include "sync/engine.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

const json kAll = {{"filter", json::array({{{"op", "exist"}, {"field", "id"}}})}};

class SyncAutotask : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    h = std::make_unique<test::SyncHarness>(GetParam());
    sim = std::make_unique<test::AtSim>();
    integration = h->create_integration(input());
  }

  store::IntegrationInput input() {
    core::SyncSettings settings;
    settings.org_types = {"Customer"};
    settings.org_statuses = {"Active"};
    settings.config_types = {"Managed Server", "Managed Workstation", "Firewall"};
    settings.config_statuses = {"Active"};
    settings.contacts_sync = true;
    return test::autotask_input(*sim, settings);
  }
  std::string zone_url() const { return sim->base_url() + "/atservicesrest/"; }
  psa::autotask::Credentials credentials() const {
    return {sim->options().username, sim->options().secret, sim->options().integration_code};
  }

  sync::RunReport sync(bool full = true) {
    psa::autotask::Source source(zone_url(), credentials());
    sync::RunOptions o;
    o.full = full;
    return sync::run_sync(h->db(), integration, source, o);
  }
  long long count(const std::string& sql) { return h->count(sql); }
  std::string text(const std::string& sql) { return h->text(sql); }

  // Every record of an Autotask entity in the emulator.
  std::vector<json> all(const std::string& entity) {
    std::vector<json> out;
    auto page = sim->post("/" + entity + "/query", kAll);
    while (true) {
      for (const auto& r : page.body["items"]) out.push_back(r);
      const auto& next = page.body["pageDetails"]["nextPageUrl"];
      if (!next.is_string()) break;
      page = sim->follow("POST", next.get<std::string>(), kAll.dump());
    }
    return out;
  }
  // Companies whose type is Customer and which are active, by name.
  std::multiset<std::string> syncing_company_names() {
    auto fields = sim->get("/Companies/entityInformation/fields").body["fields"];
    // Picklist values are strings; a company's companyType is a number.
    std::string customer;
    for (const auto& f : fields)
      if (f["name"] == "companyType")
        for (const auto& v : f["picklistValues"])
          if (v["label"] == "Customer") customer = v["value"].get<std::string>();
    std::multiset<std::string> out;
    for (const auto& c : all("Companies"))
      if (c["companyType"].is_number() && std::to_string(c["companyType"].get<long long>()) == customer && c["isActive"] == true)
        out.insert(c["companyName"].get<std::string>());
    return out;
  }

  std::unique_ptr<test::SyncHarness> h;
  std::unique_ptr<test::AtSim> sim;
  store::Integration integration;
};

// Autotask's next-page URL names every earlier page, so it grows with a pull: at about 430,000
// records it passed 8 KB and the emulator refused it (414). Past the client's limit the query
// starts again after the last id: every record once, in id order, for no extra request.
TEST(AutotaskQuery, ACursorGrownPastTheLimit_StartsAgainAfterTheLastId_EveryRecordOnceInIdOrder) {
  test::AtSim sim({}, sim::make_scale_world(2600, 7));
  net::HttpClient http;
  psa::autotask::Client client(sim.base_url() + "/atservicesrest/",
                               {sim.options().username, sim.options().secret, sim.options().integration_code}, http);
  auto pull = [&](size_t max_cursor_url, std::vector<std::int64_t>& ids) {
    ids.clear();
    client.set_max_cursor_url(max_cursor_url);
    EXPECT_EQ(sim.admin("DELETE", "/requests").status, 204);
    return client.query("ConfigurationItems", kAll["filter"], {"id", "referenceTitle"},
                        [&](const json& item) { ids.push_back(item["id"].get<std::int64_t>()); });
  };
  auto fresh_queries = [&] {
    int n = 0;
    const auto log = sim.admin("GET", "/requests");
    for (const auto& e : log.body["requests"])
      if (e["path"].get<std::string>().ends_with("/ConfigurationItems/query")) n += e["count"].get<int>();
    return n;
  };
  std::vector<std::int64_t> followed, restarted;
  const int pages = pull(1 << 20, followed);  // every next-page URL followed
  EXPECT_EQ(fresh_queries(), 1);
  ASSERT_GT(followed.size(), 1000u);
  const int expected_pages = static_cast<int>((followed.size() + 499) / 500);
  EXPECT_EQ(pages, expected_pages);

  const int again = pull(300, restarted);  // shorter than the third page's URL: started again on the way
  EXPECT_GT(fresh_queries(), 1);
  EXPECT_EQ(again, expected_pages);
  EXPECT_EQ(restarted, followed);
  EXPECT_TRUE(std::is_sorted(restarted.begin(), restarted.end()));
  EXPECT_EQ(std::set<std::int64_t>(restarted.begin(), restarted.end()).size(), restarted.size());
}

TEST_P(SyncAutotask, FullSync_BringsInWhatSyncsAndNothingElse) {
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  h->expect_organizations_exactly(syncing_company_names());
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name = 'Globex Prospects LLC'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name IN ('Acme Inc', 'Acme, Inc.')"), 2);
  // R9: no configuration points at a contact of another organization.
  EXPECT_EQ(count("SELECT COUNT(*) FROM configurations g JOIN contacts c ON c.id = g.contact_id "
                  "WHERE c.organization_id <> g.organization_id"), 0);
  // R7 and D26: the picklist's types came in, and the two statuses an active flag stands for.
  EXPECT_EQ(count("SELECT COUNT(*) FROM organization_types WHERE name = 'Prospect'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM organization_statuses WHERE name IN ('Active', 'Inactive')"), 2);
  // Manufacturer and model come from the CI's product.
  EXPECT_GT(count("SELECT COUNT(*) FROM configurations WHERE manufacturer_id IS NOT NULL"), 0);
  // No MAC, IP or gateway is mapped for Autotask (§2.2), though the emulator's CIs carry RMM audit values.
  EXPECT_EQ(count("SELECT COUNT(*) FROM configurations WHERE mac_address IS NOT NULL OR primary_ip IS NOT NULL"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links"),
            count("SELECT (SELECT COUNT(*) FROM organizations) + (SELECT COUNT(*) FROM locations) + "
                  "(SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM configurations)"));
  EXPECT_GT(count("SELECT COUNT(*) FROM locations"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM contact_emails WHERE label_name = 'Work'"), 0);
}

TEST_P(SyncAutotask, ConfigurationWithoutReferenceTitle_TakesItsProductsName) {
  ASSERT_EQ(sync().state, "done");
  std::map<std::int64_t, std::string> product_name;
  for (const auto& p : all("Products")) product_name[p["id"].get<std::int64_t>()] = p["name"].get<std::string>();
  int checked = 0;
  for (const auto& ci : all("ConfigurationItems")) {
    if (!ci["referenceTitle"].is_null()) continue;
    auto local = text("SELECT g.name FROM configurations g JOIN psa_links l ON l.local_id = g.id AND "
                      "l.entity = 'configuration' WHERE l.psa_id = '" + std::to_string(ci["id"].get<std::int64_t>()) + "'");
    if (local == "(null)") continue;  // not syncing (type, status or company)
    EXPECT_EQ(local, product_name[ci["productID"].get<std::int64_t>()]);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST_P(SyncAutotask, ZoneLookUp_FindsTheZoneFromTheUserName) {
  psa::autotask::Source source("", credentials(), {}, sim->base_url());
  auto report = sync::run_sync(h->db(), integration, source, {});
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_GT(count("SELECT COUNT(*) FROM organizations"), 0);

  psa::autotask::Source stranger("", {"nobody@nowhere.example", "x", sim->options().integration_code}, {}, sim->base_url());
  auto refused = sync::run_sync(h->db(), integration, stranger, {});
  EXPECT_EQ(refused.state, "failed");
  ASSERT_TRUE(refused.stopped);
  EXPECT_NE(refused.stopped->find("zone look-up does not know the user \"nobody@nowhere.example\""), std::string::npos)
      << *refused.stopped;
}

TEST_P(SyncAutotask, SecondSyncWithNothingChanged_WritesNothing) {
  ASSERT_EQ(sync().state, "done");
  auto before = h->documentation();
  auto report = sync();
  ASSERT_EQ(report.state, "done");
  EXPECT_EQ(h->documentation(), before);
  EXPECT_EQ(report.totals.by_entity["organizations"].count("create"), 0u);
  EXPECT_EQ(report.totals.by_entity["configurations"].count("update"), 0u);
}

TEST_P(SyncAutotask, FullSync_MakesOneQueryPerEntityPlusLookups) {
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  auto report = sync();
  ASSERT_EQ(report.state, "done");
  auto log = sim->admin("GET", "/requests").body;
  std::map<std::string, long> by_path;
  for (const auto& r : log["requests"]) by_path[r["path"].get<std::string>()] += r["count"].get<long>();
  const std::string api = "/atservicesrest/v1.0";
  // Fewer than 500 of each: one page each (ceil(N / 500)).
  for (const char* entity : {"Companies", "CompanyLocations", "Contacts", "ConfigurationItems"})
    EXPECT_EQ(by_path[api + "/" + entity + "/query"], 1) << entity;
  // D27: each look-up once per run; D19: the threshold read once.
  EXPECT_EQ(by_path[api + "/Companies/entityInformation/fields"], 1);
  EXPECT_EQ(by_path[api + "/ConfigurationItemTypes/query"], 1);
  EXPECT_EQ(by_path[api + "/Products/query"], 1);
  EXPECT_EQ(by_path[api + "/Resources/query"], 1);
  EXPECT_EQ(by_path[api + "/ThresholdInformation"], 1);
  EXPECT_EQ(report.requests, log["total"].get<long>());
}

TEST_P(SyncAutotask, ManyRecords_AreFetched500APage) {
  sim = std::make_unique<test::AtSim>(sim::autotask::Options{}, sim::make_scale_world(1200, 3));
  integration.base_url = zone_url();
  {
    soci::session s(h->db().pool());
    s << "UPDATE integrations SET base_url = :u", soci::use(integration.base_url);
  }
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  ASSERT_EQ(sync().state, "done");
  auto log = sim->admin("GET", "/requests").body;
  long queries = 0, nexts = 0;
  for (const auto& r : log["requests"]) {
    const std::string path = r["path"];
    if (path == "/atservicesrest/v1.0/ConfigurationItems/query") queries += r["count"].get<long>();
    if (path == "/atservicesrest/v1.0/ConfigurationItems/query/next") nexts += r["count"].get<long>();
  }
  EXPECT_EQ(queries, 1);
  EXPECT_EQ(nexts, 2);  // 1,200 CIs: ceil(1200 / 500) = 3 pages
}

TEST_P(SyncAutotask, ChangeInThePsa_ArrivesIncrementallyWithAnAuditRow) {
  auto full = sync();
  ASSERT_EQ(full.state, "done");
  // Company 0 is the MSP's own, which the emulator's admin path does not edit.
  auto id = text("SELECT psa_id FROM psa_links WHERE entity = 'organization' AND psa_id <> '0' ORDER BY id LIMIT 1");
  auto old_name = text("SELECT o.name FROM organizations o JOIN psa_links l ON l.local_id = o.id AND l.entity = 'organization' "
                       "WHERE l.psa_id = '" + id + "'");
  ASSERT_EQ(sim->admin("POST", "/clock", R"({"advance_seconds": 60})").status / 100, 2);
  auto changed = sim->admin("PATCH", "/records/Companies/" + id, R"({"companyName": "Renamed In Autotask"})");
  ASSERT_EQ(changed.status / 100, 2) << changed.raw;
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  auto report = sync(false);
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name = 'Renamed In Autotask'"), 1);
  EXPECT_EQ(text("SELECT old_value FROM audit_events WHERE field = 'name' AND action = 'update' ORDER BY id DESC LIMIT 1"), old_name);
  // The incremental pull read the changed company and the locations (no modified time: all of
  // them), not the unchanged companies, contacts and configuration items.
  EXPECT_EQ(report.records, 1 + static_cast<std::int64_t>(all("CompanyLocations").size()));
  EXPECT_LT(report.records, full.records);
}

TEST_P(SyncAutotask, DeactivatedConfigurationItem_IsOrphanedAndInactive) {
  ASSERT_EQ(sync().state, "done");
  auto id = text("SELECT psa_id FROM psa_links WHERE entity = 'configuration' ORDER BY id LIMIT 1");
  // Autotask does not delete CIs: it deactivates them, and Inactive is not a syncing status here.
  ASSERT_EQ(sim->admin("PATCH", "/records/ConfigurationItems/" + id, R"({"isActive": false})").status / 100, 2);
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(text("SELECT state FROM psa_links WHERE entity = 'configuration' AND psa_id = '" + id + "'"), "orphaned");
  EXPECT_EQ(text("SELECT s.name FROM configurations c JOIN psa_links l ON l.local_id = c.id AND l.entity = 'configuration' "
                 "JOIN configuration_statuses s ON s.id = c.configuration_status_id WHERE l.psa_id = '" + id + "'"),
            "Inactive");
}

TEST_P(SyncAutotask, WrongSecret_FailsTheRunWithTheReason) {
  psa::autotask::Source source(zone_url(), {sim->options().username, "wrong", sim->options().integration_code});
  auto report = sync::run_sync(h->db(), integration, source, {});
  EXPECT_EQ(report.state, "failed");
  ASSERT_TRUE(report.stopped);
  EXPECT_NE(report.stopped->find("refused the API user's secret"), std::string::npos) << *report.stopped;
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations"), 0);
  // D22: the integration shows the error and its reason until a run succeeds.
  const std::string where = " FROM integrations WHERE id = " + std::to_string(integration.id);
  EXPECT_EQ(text("SELECT state" + where), "error");
  EXPECT_NE(text("SELECT state_reason" + where).find("refused the API user's secret"), std::string::npos);
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(text("SELECT state" + where), "active");
  EXPECT_EQ(text("SELECT state_reason" + where), "(null)");
}

TEST_P(SyncAutotask, HourlyThreshold_CairnStopsAtHalfAndNeverMeetsA429) {
  sim::autotask::Options small;
  small.hourly_request_limit = 12;  // D19: Cairn may spend 6 of them, the threshold read included
  sim = std::make_unique<test::AtSim>(small);
  integration.base_url = zone_url();
  auto report = sync();
  EXPECT_EQ(report.state, "failed");
  ASSERT_TRUE(report.stopped);
  EXPECT_NE(report.stopped->find("hourly request threshold"), std::string::npos) << *report.stopped;
  auto log = sim->admin("GET", "/requests").body;
  EXPECT_LE(log["total"].get<long>(), 6);  // so the emulator's 429 at 12 was never reached
}

TEST_P(SyncAutotask, KilledPartWayThenRunAgain_EndsAsAnUninterruptedSync) {
  sim = std::make_unique<test::AtSim>(sim::autotask::Options{}, sim::make_scale_world(1500, 7));
  integration.base_url = zone_url();
  {
    soci::session s(h->db().pool());
    s << "UPDATE integrations SET base_url = :u", soci::use(integration.base_url);
  }
  ASSERT_EQ(sim->admin("PUT", "/faults", R"({"latency_ms": 40})").status / 100, 2);
  {
    test::ChildProcess child({CAIRN_BINARY, "sync", std::to_string(integration.id), "--full", "--db", h->tdb().spec()});
    ASSERT_TRUE(child.started());
    for (int i = 0; i < 200 && count("SELECT COUNT(*) FROM psa_links") < 100; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    child.signal_and_wait(SIGKILL);
  }
  EXPECT_GT(count("SELECT COUNT(*) FROM psa_links"), 0);
  ASSERT_EQ(sim->admin("PUT", "/faults", "{}").status / 100, 2);
  ASSERT_EQ(sync().state, "done");

  test::TestDatabase fresh(GetParam());
  store::Integration again = h->copy_integration(integration, fresh.db());
  psa::autotask::Source source(zone_url(), credentials());
  ASSERT_EQ(sync::run_sync(fresh.db(), again, source, {}).state, "done");
  for (const char* sql : {"SELECT COUNT(*) FROM organizations", "SELECT COUNT(*) FROM locations", "SELECT COUNT(*) FROM contacts",
                          "SELECT COUNT(*) FROM configurations", "SELECT COUNT(*) FROM psa_links",
                          "SELECT COUNT(DISTINCT psa_id || entity) FROM psa_links"})
    EXPECT_EQ(count(sql), test::SyncHarness::count(fresh.db(), sql)) << sql;
}

INSTANTIATE_TEST_SUITE_P(Backends, SyncAutotask, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
