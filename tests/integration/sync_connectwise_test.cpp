// The sync engine against the ConnectWise emulator over real HTTP, on SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "psa/connectwise/source.h"
#include "sync/engine.h"
#include "integration/sim_harness.h"
#include "integration/sync_harness.h"
#include "store/deferred_indexes.h"
#include "store/documents.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

class SyncConnectWise : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    h = std::make_unique<test::SyncHarness>(GetParam());
    sim = std::make_unique<test::CwSim>();
    core::SyncSettings settings;
    settings.org_types = {"Customer"};
    settings.org_statuses = {"Active"};
    settings.config_types = {"Managed Server", "Managed Workstation", "Firewall"};
    settings.config_statuses = {"Active"};
    settings.contacts_sync = true;
    integration = h->create_integration(test::connectwise_input(*sim, settings));
  }

  sync::RunReport sync(bool full = true) {
    psa::connectwise::Source source(integration.base_url,
                                    {sim->options().company_id, sim->options().public_key, sim->options().private_key,
                                     sim->options().client_id});
    sync::RunOptions o;
    o.full = full;
    return sync::run_sync(h->db(), integration, source, o);
  }
  long long count(const std::string& sql) { return h->count(sql); }
  std::string text(const std::string& sql) { return h->text(sql); }
  std::string documentation() { return h->documentation(); }
  // Companies in the emulator whose type and status sync, by name.
  std::multiset<std::string> syncing_company_names() {
    std::multiset<std::string> out;
    auto r = sim->get("/company/companies?pageSize=1000");
    for (const auto& c : r.body) {
      bool customer = false;
      for (const auto& t : c["types"]) customer = customer || t["name"] == "Customer";
      if (customer && c["status"]["name"] == "Active") out.insert(c["name"].get<std::string>());
    }
    return out;
  }

  std::unique_ptr<test::SyncHarness> h;
  std::unique_ptr<test::CwSim> sim;
  store::Integration integration;
};

TEST_P(SyncConnectWise, FullSync_BringsInWhatSyncsAndNothingElse) {
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  h->expect_organizations_exactly(syncing_company_names());
  // Non-syncing types (Prospect, Vendor) bring nothing in, not even through their contacts.
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name = 'Globex Prospects LLC'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts c JOIN organizations o ON o.id = c.organization_id "
                  "WHERE o.name = 'Globex Prospects LLC'"), 0);
  // Near-miss names are two organizations, never one.
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name IN ('Acme Inc', 'Acme, Inc.')"), 2);
  // R10: the multi-MAC string did not arrive.
  EXPECT_EQ(count("SELECT COUNT(*) FROM configurations WHERE LENGTH(mac_address) > 17"), 0);
  // R9: no configuration points at a contact of another organization.
  EXPECT_EQ(count("SELECT COUNT(*) FROM configurations g JOIN contacts c ON c.id = g.contact_id "
                  "WHERE c.organization_id <> g.organization_id"), 0);
  // R7: the PSA's types came in, enabled or not.
  EXPECT_EQ(count("SELECT COUNT(*) FROM organization_types WHERE name = 'Prospect'"), 1);
  // Every record it wrote is linked, once.
  EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links"),
            count("SELECT (SELECT COUNT(*) FROM organizations) + (SELECT COUNT(*) FROM locations) + "
                  "(SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM configurations)"));
  EXPECT_EQ(text("SELECT state FROM sync_runs ORDER BY id DESC LIMIT 1"), "done");
  // SQLite: the indexes this first sync deferred are built again (store::DeferredIndexes).
  if (GetParam() == test::Backend::Sqlite) {
    for (const auto& i : store::deferrable_indexes()) {
      EXPECT_EQ(text(std::string("SELECT sql FROM sqlite_master WHERE name = '") + i.name + "'"),
                std::string("CREATE INDEX ") + i.name + " ON " + i.definition);
    }
  }
}

// Each created configuration has one audit row, whose JSON holds what was written. Its references
// are the real ids, also those the run made as it went (its company, a manufacturer new to Cairn).
TEST_P(SyncConnectWise, CreateAuditRows_HoldTheValuesWritten_WithRealIds) {
  ASSERT_EQ(sync().state, "done");
  soci::session s(h->db().pool());
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT CAST(c.organization_id AS TEXT), CAST(c.configuration_type_id AS TEXT), "
                    "COALESCE(CAST(c.manufacturer_id AS TEXT), ''), c.name, a.new_value FROM configurations c "
                    "JOIN audit_events a ON a.entity = 'configuration' AND a.record_id = c.id AND a.action = 'create' "
                    "ORDER BY c.id");
  size_t checked = 0, with_maker = 0;
  for (const auto& r : rows) {
    auto values = json::parse(r.get<std::string>(4));
    EXPECT_EQ(values.value("organization_id", ""), r.get<std::string>(0));
    EXPECT_EQ(values.value("configuration_type_id", ""), r.get<std::string>(1));
    EXPECT_EQ(values.value("manufacturer_id", ""), r.get<std::string>(2));
    EXPECT_EQ(values.value("name", ""), r.get<std::string>(3));
    ++checked;
    with_maker += !r.get<std::string>(2).empty();
  }
  EXPECT_EQ(static_cast<long long>(checked), count("SELECT COUNT(*) FROM configurations"));
  EXPECT_GT(with_maker, 1u);
  EXPECT_LT(count("SELECT COUNT(*) FROM manufacturers"), static_cast<long long>(with_maker))
      << "some configurations should share a manufacturer created in the run";
}

TEST_P(SyncConnectWise, SecondSyncWithNothingChanged_WritesNothing) {
  ASSERT_EQ(sync().state, "done");
  auto before = documentation();
  auto report = sync();
  ASSERT_EQ(report.state, "done");
  EXPECT_EQ(documentation(), before);
  EXPECT_EQ(report.totals.by_entity["organizations"].count("create"), 0u);
  EXPECT_EQ(report.totals.by_entity["configurations"].count("update"), 0u);
}

TEST_P(SyncConnectWise, FullSync_MakesOneListRequestPerEntityPlusLookups) {
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);
  auto report = sync();
  ASSERT_EQ(report.state, "done");
  auto log = sim->admin("GET", "/requests").body;
  std::map<std::string, long> by_path;
  for (const auto& r : log["requests"]) by_path[r["path"].get<std::string>()] += r["count"].get<long>();
  const std::string api = sim->api_prefix();
  // Fewer than 1000 of each: one page each (ceil(N / 1000)).
  EXPECT_EQ(by_path[api + "/company/companies"], 1);
  EXPECT_EQ(by_path[api + "/company/contacts"], 1);
  EXPECT_EQ(by_path[api + "/company/configurations"], 1);
  EXPECT_EQ(by_path[api + "/company/companies/types"], 1);
  EXPECT_EQ(by_path[api + "/company/companies/statuses"], 1);
  EXPECT_EQ(by_path[api + "/company/configurations/types"], 1);
  EXPECT_EQ(by_path[api + "/company/configurations/statuses"], 1);
  long sites = 0;
  for (const auto& [path, n] : by_path)
    if (path.find("/sites") != std::string::npos) sites += n;
  // Sites are listed per syncing company, once each.
  EXPECT_EQ(sites, count("SELECT COUNT(*) FROM organizations"));
  EXPECT_EQ(report.requests, log["total"].get<long>());
}

TEST_P(SyncConnectWise, ChangeInThePsa_ArrivesWithAnAuditRow) {
  ASSERT_EQ(sync().state, "done");
  auto id = text("SELECT psa_id FROM psa_links WHERE entity = 'organization' ORDER BY id LIMIT 1");
  auto old_name = text("SELECT o.name FROM organizations o JOIN psa_links l ON l.local_id = o.id AND l.entity = 'organization' "
                       "WHERE l.psa_id = '" + id + "'");
  ASSERT_EQ(sim->admin("POST", "/clock", R"({"advance_seconds": 60})").status / 100, 2);
  auto changed = sim->admin("PATCH", "/records/companies/" + id, R"({"name": "Renamed In PSA"})");
  ASSERT_EQ(changed.status / 100, 2) << changed.raw;
  auto report = sync(false);  // incremental: only what changed since the last run
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name = 'Renamed In PSA'"), 1);
  EXPECT_EQ(text("SELECT old_value FROM audit_events WHERE field = 'name' AND action = 'update' ORDER BY id DESC LIMIT 1"), old_name);
  EXPECT_EQ(text("SELECT new_value FROM audit_events WHERE field = 'name' AND action = 'update' ORDER BY id DESC LIMIT 1"),
            "Renamed In PSA");
}

// An incremental run reads the links of an entity only once the PSA gives it a record of that
// entity, and those of the entities before it: a configuration changed alone still finds its
// company, site and contact, which did not change and so did not arrive.
TEST_P(SyncConnectWise, IncrementalWithOnlyAConfigurationChanged_KeepsItsCompanySiteAndContact) {
  ASSERT_EQ(sync().state, "done");
  const std::string with_refs = "FROM configurations c JOIN psa_links l ON l.local_id = c.id AND l.entity = 'configuration' "
                                "WHERE c.contact_id IS NOT NULL AND c.location_id IS NOT NULL";
  ASSERT_GT(count("SELECT COUNT(*) " + with_refs), 0) << "the demo needs a configuration with a contact and a site";
  const auto psa_id = text("SELECT l.psa_id " + with_refs + " ORDER BY c.id LIMIT 1");
  const std::string refs = "SELECT CAST(c.organization_id AS TEXT) || '/' || CAST(c.location_id AS TEXT) || '/' || "
                           "CAST(c.contact_id AS TEXT) FROM configurations c JOIN psa_links l ON l.local_id = c.id AND "
                           "l.entity = 'configuration' WHERE l.psa_id = '" + psa_id + "'";
  const auto before = text(refs);
  const auto audit_rows = count("SELECT COUNT(*) FROM audit_events");
  ASSERT_EQ(sim->admin("POST", "/clock", R"({"advance_seconds": 60})").status / 100, 2);
  ASSERT_EQ(sim->admin("PATCH", "/records/configurations/" + psa_id, R"({"name": "Renamed Alone"})").status / 100, 2);

  auto report = sync(false);
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(text(refs), before);
  EXPECT_EQ(count("SELECT COUNT(*) FROM configurations WHERE name = 'Renamed Alone'"), 1);
  // One audit row, the name's: nothing else was emptied or created.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events"), audit_rows + 1);
  EXPECT_EQ(text("SELECT field FROM audit_events ORDER BY id DESC LIMIT 1"), "name");
  EXPECT_EQ(report.totals.by_entity["configurations"].count("create"), 0u);
}

TEST_P(SyncConnectWise, DeletedInThePsa_IsOrphanedAndInactive) {
  ASSERT_EQ(sync().state, "done");
  auto id = text("SELECT psa_id FROM psa_links WHERE entity = 'configuration' ORDER BY id LIMIT 1");
  ASSERT_EQ(sim->admin("DELETE", "/records/configurations/" + id).status / 100, 2);
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(text("SELECT state FROM psa_links WHERE entity = 'configuration' AND psa_id = '" + id + "'"), "orphaned");
  EXPECT_EQ(text("SELECT s.name FROM configurations c JOIN psa_links l ON l.local_id = c.id AND l.entity = 'configuration' "
                 "JOIN configuration_statuses s ON s.id = c.configuration_status_id WHERE l.psa_id = '" + id + "'"),
            "Inactive");
}

TEST_P(SyncConnectWise, DeletedCompany_KeptReadableByConnectWise_IsOrphaned) {
  ASSERT_EQ(sync().state, "done");
  auto id = text("SELECT psa_id FROM psa_links WHERE entity = 'organization' ORDER BY id LIMIT 1");
  ASSERT_EQ(sim->admin("DELETE", "/records/companies/" + id).status / 100, 2);
  ASSERT_TRUE(sim->get("/company/companies/" + id).body["deletedFlag"].get<bool>());
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(text("SELECT state FROM psa_links WHERE entity = 'organization' AND psa_id = '" + id + "'"), "orphaned");
}

TEST_P(SyncConnectWise, WrongKeys_FailTheRunWithTheReason) {
  psa::connectwise::Source source(integration.base_url, {sim->options().company_id, "wrong", "keys", sim->options().client_id});
  auto report = sync::run_sync(h->db(), integration, source, {});
  EXPECT_EQ(report.state, "failed");
  ASSERT_TRUE(report.stopped);
  EXPECT_NE(report.stopped->find("refused the API keys"), std::string::npos) << *report.stopped;
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations"), 0);
}

// On SQLite the writer runs without foreign-key checks while no other connection has deleted
// anything (sync/engine.cpp, Writer). Here a person disables an organization's sync and deletes
// it part-way through the configurations, whose later rows the planner still points at it: the
// run must not leave a single reference dangling. (On PostgreSQL the checks never go off.)
TEST_P(SyncConnectWise, AnOrganizationDeletedDuringTheRun_LeavesNoReferenceDangling) {
  sim = std::make_unique<test::CwSim>(sim::make_scale_world(5000, 7));
  {
    soci::session s(h->db().pool());
    s << "UPDATE integrations SET base_url = :u", soci::use(sim->base_url());
  }
  integration.base_url = sim->base_url();
  psa::connectwise::Source source(integration.base_url, {sim->options().company_id, sim->options().public_key,
                                                         sim->options().private_key, sim->options().client_id});
  sync::RunOptions o;
  std::int64_t deleted = 0;
  o.progress = [&](const sync::Progress& p) {
    if (deleted || p.entity != "configurations" || p.records < 1000) return;
    soci::session s(h->db().pool());
    long long org = 0;
    s << "SELECT MIN(local_id) FROM psa_links WHERE entity = 'organization'", soci::into(org);
    store::Transaction tx(s, h->db().dialect());
    // A person turns off its sync and its records' (D18), then deletes it.
    s << "UPDATE psa_links SET state = 'disabled' WHERE entity = 'organization' AND local_id = :id", soci::use(org);
    for (const char* table : {"locations", "contacts", "configurations"})
      s << "UPDATE psa_links SET state = 'disabled' WHERE entity = '" + core::entity(table).link_entity +
               "' AND local_id IN (SELECT id FROM " + table + " WHERE organization_id = :id)",
          soci::use(org);
    store::Documents docs(s, h->db().dialect());
    auto removed = docs.remove(core::entity("organizations"), org, {"a person", std::nullopt});
    ASSERT_TRUE(removed) << removed.error().detail;
    tx.commit();
    deleted = org;
  };
  auto report = sync::run_sync(h->db(), integration, source, o);
  ASSERT_NE(deleted, 0) << "the configurations pass never reported 1,000 records";
  // Its configurations still to come point at it: the batch that writes them is refused.
  EXPECT_EQ(report.state, "failed");
  std::string why = report.stopped.value_or("");
  std::transform(why.begin(), why.end(), why.begin(), [](unsigned char c) { return std::tolower(c); });
  EXPECT_NE(why.find("foreign key"), std::string::npos) << why;
  for (const char* table : {"configurations", "contacts", "locations"})
    EXPECT_EQ(count(std::string("SELECT COUNT(*) FROM ") + table +
                    " t WHERE t.organization_id IS NOT NULL AND NOT EXISTS "
                    "(SELECT 1 FROM organizations o WHERE o.id = t.organization_id)"),
              0)
        << table;
  EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE id = " + std::to_string(deleted)), 0);
}

// The writer's session goes back to the pool with its foreign-key checks on, after a run that
// finished and after one that failed: the API's next request may get it.
TEST_P(SyncConnectWise, AfterARun_EveryPooledSessionChecksForeignKeys) {
  if (GetParam() != test::Backend::Sqlite) GTEST_SKIP() << "PostgreSQL always checks them";
  auto all_check = [&] {
    std::vector<std::unique_ptr<soci::session>> held;  // every session at once: each one is looked at
    int on = 0;
    for (size_t i = 0; i < h->db().pool_size(); ++i) {
      held.push_back(std::make_unique<soci::session>(h->db().pool()));
      int v = 0;
      *held.back() << "PRAGMA foreign_keys", soci::into(v);
      on += v;
    }
    return on == static_cast<int>(h->db().pool_size());
  };
  ASSERT_EQ(sync().state, "done");
  EXPECT_TRUE(all_check());
  ASSERT_EQ(sim->admin("PUT", "/faults", R"({"malformed_rate": 1})").status / 100, 2);
  EXPECT_EQ(sync().state, "failed");
  EXPECT_TRUE(all_check());
}

TEST_P(SyncConnectWise, KilledPartWayThenRunAgain_EndsAsAnUninterruptedSync) {
  // A bigger PSA, slowed down, so the kill lands part-way.
  sim = std::make_unique<test::CwSim>(sim::make_scale_world(1500, 7));
  {
    soci::session s(h->db().pool());
    s << "UPDATE integrations SET base_url = :u", soci::use(sim->base_url());
  }
  integration.base_url = sim->base_url();
  ASSERT_EQ(sim->admin("PUT", "/faults", R"({"latency_ms": 40})").status / 100, 2);
  {
    test::ChildProcess child({CAIRN_BINARY, "sync", std::to_string(integration.id), "--full", "--db", h->tdb().spec()});
    ASSERT_TRUE(child.started());
    // Wait for the first batches to land, then kill without warning.
    for (int i = 0; i < 200 && count("SELECT COUNT(*) FROM psa_links") < 100; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    child.signal_and_wait(SIGKILL);
  }
  auto partial = count("SELECT COUNT(*) FROM psa_links");
  EXPECT_GT(partial, 0);
  // SQLite: the first sync had deferred the indexes of the tables it was filling; the kill left
  // them dropped, and the next run builds them before it writes.
  const std::string deferred_indexes = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                                       "('configurations_org', 'configurations_serial', 'contacts_org', 'contact_emails_value')";
  if (GetParam() == test::Backend::Sqlite) {
    EXPECT_EQ(count(deferred_indexes), 0);
  }
  ASSERT_EQ(sim->admin("PUT", "/faults", "{}").status / 100, 2);
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  if (GetParam() == test::Backend::Sqlite) {
    EXPECT_EQ(count(deferred_indexes), 4);
  }

  // The same PSA synced once, uninterrupted, into a fresh database.
  test::TestDatabase fresh(GetParam());
  store::Integration again = h->copy_integration(integration, fresh.db());
  psa::connectwise::Source source(again.base_url, {sim->options().company_id, sim->options().public_key,
                                                   sim->options().private_key, sim->options().client_id});
  ASSERT_EQ(sync::run_sync(fresh.db(), again, source, {}).state, "done");
  for (const char* sql : {"SELECT COUNT(*) FROM organizations", "SELECT COUNT(*) FROM locations", "SELECT COUNT(*) FROM contacts",
                          "SELECT COUNT(*) FROM configurations", "SELECT COUNT(*) FROM psa_links",
                          "SELECT COUNT(DISTINCT psa_id || entity) FROM psa_links", "SELECT COUNT(DISTINCT name) FROM configurations"})
    EXPECT_EQ(count(sql), test::SyncHarness::count(fresh.db(), sql)) << sql;
}

// Sites are listed per company, several companies at once (psa::connectwise::kSiteLists): each
// company's sites still arrive together and in the order the companies were given, and a list
// that fails fails the pull with its reason after the companies before it were delivered.
TEST(ConnectWiseSites, ListedSeveralAtOnce_ArriveInCompanyOrder_AndAFailedListStopsThePull) {
  test::CwSim sim(sim::make_demo_world(3));
  const auto& o = sim.options();
  std::vector<std::string> companies;
  std::map<std::string, size_t> sites_of;
  for (const auto& c : sim.get("/company/companies?pageSize=1000").body) {
    const std::string id = std::to_string(c["id"].get<long>());
    companies.push_back(id);
    sites_of[id] = sim.get("/company/companies/" + id + "/sites?pageSize=1000").body.size();
  }
  std::reverse(companies.begin(), companies.end());  // not the PSA's own order
  ASSERT_GT(companies.size(), 2 * psa::connectwise::kSiteLists);

  auto pull = [&](const std::vector<std::string>& ids, std::vector<std::string>& arrived) {
    psa::connectwise::Source source(sim.base_url(), {o.company_id, o.public_key, o.private_key, o.client_id});
    source.pull_owned(core::SyncEntity::Location, "", ids,
                      [&](core::PsaRecord&& r) { arrived.push_back(r.refs.at("organization_id").psa_id); });
    return source.requests();
  };
  std::vector<std::string> arrived;
  const auto requests = pull(companies, arrived);
  std::vector<std::string> expected;
  for (const auto& id : companies) expected.insert(expected.end(), sites_of[id], id);
  EXPECT_EQ(arrived, expected);
  EXPECT_EQ(requests, static_cast<std::int64_t>(companies.size()) + 1);  // + the codebase look-up, once

  std::vector<std::string> with_bad_id(companies.begin(), companies.end());
  with_bad_id.insert(with_bad_id.begin() + 5, "not-an-id");
  arrived.clear();
  try {
    pull(with_bad_id, arrived);
    ADD_FAILURE() << "a site list ConnectWise refuses (404) should fail the pull";
  } catch (const psa::connectwise::ApiError& e) {
    EXPECT_EQ(e.status, 404) << e.what();
  }
  std::vector<std::string> before;
  for (size_t i = 0; i < 5; ++i) before.insert(before.end(), sites_of[companies[i]], companies[i]);
  EXPECT_EQ(arrived, before);
}

INSTANTIATE_TEST_SUITE_P(Backends, SyncConnectWise, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
