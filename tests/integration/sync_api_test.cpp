// Sync through the API: the plan action, sync-now on the scheduler, the sync log and the audit
// trail as resources, against the ConnectWise emulator.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <thread>

#include "api/sync_routes.h"
#include "core/schema.h"
#include "integration/sim_harness.h"
#include "integration/sync_harness.h"
#include "psa/connectwise/source.h"
#include "store/integrations.h"
#include "store/secrets.h"
#include "support/api_harness.h"
#include "sync/engine.h"
#include "sync/scheduler.h"

using namespace cairn;
using nlohmann::json;

namespace {

class SyncApi : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("CAIRN_MASTER_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1);
    api = std::make_unique<test::ApiHarness>(test::Backend::Sqlite);
    sim = std::make_unique<test::CwSim>();
    auto key = store::master_key_for(api->db());
    ASSERT_TRUE(key.ok());
    core::SyncSettings settings;
    settings.org_types = {"Customer"};
    settings.org_statuses = {"Active"};
    settings.config_types = {"Managed Server", "Managed Workstation", "Firewall"};
    settings.config_statuses = {"Active"};
    settings.contacts_sync = true;
    soci::session s(api->db().pool());
    store::Integrations integrations(s, api->db().dialect(), key.value());
    auto created = integrations.create(test::connectwise_input(*sim, settings), {"test", std::nullopt}, "");
    ASSERT_TRUE(created.ok()) << created.error().detail;
    id = std::to_string(created.value().id);
  }
  // A sync as `cairn sync` runs it, on this thread; its final state.
  std::string sync_now(bool full = true) {
    auto key = store::master_key_for(api->db());
    soci::session s(api->db().pool());
    store::Integrations integrations(s, api->db().dialect(), key.value());
    auto integration = integrations.get(std::stoll(id));
    if (!integration) return "no integration";
    psa::connectwise::Source source(integration->base_url, {sim->options().company_id, sim->options().public_key,
                                                            sim->options().private_key, sim->options().client_id});
    sync::RunOptions o;
    o.full = full;
    return sync::run_sync(api->db(), *integration, source, o).state;
  }
  long long count(const std::string& sql) {
    soci::session s(api->db().pool());
    long long n = 0;
    s << sql, soci::into(n);
    return n;
  }
  std::unique_ptr<test::ApiHarness> api;
  std::unique_ptr<test::CwSim> sim;
  std::string id;
};

TEST_F(SyncApi, Scheduler_RunsAFullSyncWhenNoneHasRunYet) {
  sync::Scheduler scheduler(api->db(), std::chrono::milliseconds(50));
  scheduler.start();
  long long done = 0;
  for (int i = 0; i < 200 && done == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    soci::session s(api->db().pool());
    s << "SELECT COUNT(*) FROM sync_runs WHERE mode = 'full' AND state = 'done'", soci::into(done);
  }
  scheduler.stop();
  EXPECT_EQ(done, 1);
}

TEST_F(SyncApi, PlanAction_ShowsWhatWouldHappenAndWritesNothing) {
  auto before = api->snapshot();
  auto r = api->post("/integrations/" + id + "/actions/plan", json::object());
  ASSERT_EQ(r.status, 200) << r.raw;
  const auto& a = r.body["data"]["attributes"];
  EXPECT_GT(a["totals"]["organizations"]["create"].get<int>(), 0);
  EXPECT_GT(a["totals"]["organizations"]["skip"].get<int>(), 0);
  bool saw_skip_reason = false;
  for (const auto& action : a["actions"])
    saw_skip_reason = saw_skip_reason || (action["action"] == "skip" && action["reason"].get<std::string>().find("not enabled") != std::string::npos);
  EXPECT_TRUE(saw_skip_reason);
  EXPECT_EQ(api->snapshot(), before);
  EXPECT_EQ(api->call("POST", "/integrations/" + id + "/actions/plan", "{}", api->editor_key).status, 403);
}

TEST_F(SyncApi, SyncNow_RunsOnTheSchedulerAndLeavesARunAndAuditRows) {
  sync::Scheduler scheduler(api->db(), std::chrono::hours(1), /*due_runs=*/false);
  scheduler.start();
  // The harness's App has no scheduler; serve the action from a second App that has one.
  api::App app(api->db());
  api::add_sync_routes(app, &scheduler);
  api::HttpOptions o;
  o.port = 0;
  api::ApiServer server(app, o);
  server.bind();
  std::thread t([&] { server.serve(); });
  httplib::Client client(server.base_url());
  auto r = client.Post("/integrations/" + id + "/actions/sync?full=true", {{"x-api-key", api->admin_key}}, "", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202) << r->body;
  for (int i = 0; i < 200 && scheduler.busy(std::stoll(id)); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  server.stop();
  t.join();
  scheduler.stop();

  auto runs = api->get("/sync_runs?filter[integration_id]=" + id + "&sort=-id");
  ASSERT_EQ(runs.status, 200) << runs.raw;
  ASSERT_GE(runs.body["data"].size(), 1u);
  const auto& run = runs.body["data"][0];
  EXPECT_EQ(run["attributes"]["state"], "done");
  EXPECT_EQ(run["attributes"]["mode"], "full");
  auto audit = api->get("/audit_events?filter[run_id]=" + run["id"].get<std::string>() + "&filter[entity]=organization&page[size]=5");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  EXPECT_GT(audit.body["meta"]["total-count"].get<int>(), 0);
  EXPECT_EQ(audit.body["data"][0]["attributes"]["action"], "create");
  auto orgs = api->get("/organizations?filter[psa_integration_type]=manage&filter[psa_id]=1");
  EXPECT_EQ(orgs.body["data"].size(), 1u);
  EXPECT_EQ(api->call("POST", "/sync_runs", "{}", api->admin_key).status, 405);
}

TEST_F(SyncApi, SyncOneRecordNow_ReadsItsPsaRecordAndNothingElse) {
  ASSERT_EQ(sync_now(), "done");  // a first full sync, so there are linked records
  auto org = api->get("/organizations?filter[psa_integration_type]=manage&filter[psa_id]=1");
  ASSERT_EQ(org.body["data"].size(), 1u) << org.raw;
  const std::string local = org.body["data"][0]["id"];
  ASSERT_EQ(sim->admin("PATCH", "/records/companies/1", R"({"name": "Renamed For Sync Now"})").status / 100, 2);
  ASSERT_EQ(sim->admin("DELETE", "/requests").status / 100, 2);

  auto r = api->post("/organizations/" + local + "/actions/sync", json::object());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["data"]["attributes"]["state"], "done");
  EXPECT_EQ(r.body["data"]["attributes"]["actions"][0]["action"], "update");
  EXPECT_EQ(api->get("/organizations/" + local).body["data"]["attributes"]["name"], "Renamed For Sync Now");
  // The codebase look-up and one GET of that company: no lists, no type look-ups.
  auto log = sim->admin("GET", "/requests").body;
  EXPECT_EQ(log["total"], 2) << log.dump();
  long company_gets = 0;
  for (const auto& req : log["requests"])
    if (req["path"] == sim->api_prefix() + "/company/companies/1") company_gets += req["count"].get<long>();
  EXPECT_EQ(company_gets, 1) << log.dump();

  // Deleted in the PSA (ConnectWise keeps it readable, marked deletedFlag): the record is orphaned.
  ASSERT_EQ(sim->admin("DELETE", "/records/companies/1").status / 100, 2);
  auto gone = api->post("/organizations/" + local + "/actions/sync", json::object());
  ASSERT_EQ(gone.status, 200) << gone.raw;
  EXPECT_EQ(gone.body["data"]["attributes"]["actions"][0]["action"], "orphan");
  EXPECT_EQ(api->get("/organizations/" + local).body["data"]["attributes"]["psa-sync-state"], "orphaned");

  // A record with no PSA link says so; an unknown one is 404; readers may not.
  auto made = api->post("/organizations", {{"data", {{"type", "organizations"}, {"attributes", {{"name", "Local Only"}}}}}});
  ASSERT_EQ(made.status, 201) << made.raw;
  auto unlinked = api->post("/organizations/" + made.body["data"]["id"].get<std::string>() + "/actions/sync", json::object());
  EXPECT_EQ(unlinked.status, 409);
  EXPECT_NE(unlinked.raw.find("not linked to a PSA record"), std::string::npos) << unlinked.raw;
  EXPECT_EQ(api->post("/organizations/999999/actions/sync", json::object()).status, 404);
  EXPECT_EQ(api->call("POST", "/organizations/" + local + "/actions/sync", "{}", api->reader_key).status, 403);
}

TEST_F(SyncApi, SyncedRecord_MappedFieldsAreThePsasUnlessTwoWayIsOn) {
  ASSERT_EQ(sync_now(), "done");
  auto org = api->get("/organizations?filter[psa_integration_type]=manage&filter[psa_id]=1");
  ASSERT_EQ(org.body["data"].size(), 1u) << org.raw;
  const std::string local = org.body["data"][0]["id"];
  const std::string name = org.body["data"][0]["attributes"]["name"];
  auto patch = [&](const json& attributes) {
    return api->patch("/organizations/" + local,
                      {{"data", {{"type", "organizations"}, {"id", local}, {"attributes", attributes}}}});
  };
  auto before = api->snapshot();
  auto refused = patch({{"name", "Edited In Cairn"}, {"quick-notes", "x"}});
  ASSERT_EQ(refused.status, 422) << refused.raw;
  EXPECT_EQ(refused.body["errors"][0]["source"]["pointer"], "/data/attributes/name");
  EXPECT_NE(refused.body["errors"][0]["detail"].get<std::string>().find("two-way sync is off"), std::string::npos);
  EXPECT_EQ(api->snapshot(), before);  // nothing of the request was written
  // Cairn's own fields stay editable on a synced record.
  auto notes = patch({{"quick-notes", "call before visiting"}});
  EXPECT_EQ(notes.status, 200) << notes.raw;

  // Bulk PATCH is all or nothing: one PSA-owned field refuses the lot.
  auto bulk = api->patch("/organizations", {{"data", json::array({{{"type", "organizations"}, {"id", local},
                                                                    {"attributes", {{"short-name", "NEW"}}}}})}});
  EXPECT_EQ(bulk.status, 422) << bulk.raw;

  // Two-way on: mapped fields may change (they go to the PSA); one-way ones (site phone) may not.
  {
    soci::session s(api->db().pool());
    std::string text;
    s << "SELECT settings FROM integrations WHERE id = :i", soci::use(std::stoll(id)), soci::into(text);
    auto settings = core::SyncSettings::from_json(text);
    settings.two_way = true;
    text = settings.to_json();
    s << "UPDATE integrations SET settings = :s WHERE id = :i", soci::use(text), soci::use(std::stoll(id));
  }
  EXPECT_EQ(patch({{"name", name + " (edited)"}}).status, 200);
  auto loc = api->get("/locations?filter[organization_id]=" + local);
  ASSERT_FALSE(loc.body["data"].empty()) << loc.raw;
  const std::string location = loc.body["data"][0]["id"];
  auto phone = api->patch("/locations/" + location,
                          {{"data", {{"type", "locations"}, {"id", location}, {"attributes", {{"phone", "555-0100"}}}}}});
  EXPECT_EQ(phone.status, 422) << phone.raw;
  EXPECT_NE(phone.raw.find("one-way"), std::string::npos) << phone.raw;
}

}  // namespace

namespace {

// D18 through the API: a synced record is deleted only once its sync is off, and an organization
// only once none of its records syncs; its records' links go with it, so a later sync can
// restore them from the PSA.
TEST_F(SyncApi, DeletingAnOrganization_TakesItsRecordsLinksAlong_SoALaterSyncRestoresThem) {
  ASSERT_EQ(sync_now(), "done");
  std::string org, company;
  long long configurations = 0;
  {
    soci::session s(api->db().pool());
    s << "SELECT CAST(c.organization_id AS TEXT), COUNT(*) FROM configurations c JOIN psa_links l "
         "ON l.entity = 'configuration' AND l.local_id = c.id GROUP BY c.organization_id ORDER BY COUNT(*) DESC, "
         "c.organization_id LIMIT 1",
        soci::into(org), soci::into(configurations);
    s << "SELECT psa_id FROM psa_links WHERE entity = 'organization' AND local_id = :o", soci::use(std::stoll(org)),
        soci::into(company);
  }
  ASSERT_GT(configurations, 1);
  const std::string linked_configurations = "SELECT COUNT(*) FROM configurations c JOIN psa_links l ON l.entity = "
                                            "'configuration' AND l.local_id = c.id AND l.state = 'syncing' JOIN psa_links o "
                                            "ON o.entity = 'organization' AND o.local_id = c.organization_id AND o.psa_id = '" +
                                            company + "'";
  ASSERT_EQ(count(linked_configurations), configurations);

  auto refused = api->del("/organizations/" + org);
  EXPECT_EQ(refused.status, 409) << refused.raw;
  EXPECT_NE(refused.raw.find("disable its sync"), std::string::npos) << refused.raw;

  auto off = api->post("/organizations/" + org + "/actions/disable-sync", json::object());
  ASSERT_EQ(off.status, 200) << off.raw;
  EXPECT_EQ(off.body["data"]["attributes"]["psa-sync-state"], "disabled");
  auto held = api->del("/organizations/" + org);
  EXPECT_EQ(held.status, 409) << held.raw;
  EXPECT_NE(held.raw.find("configurations: " + std::to_string(configurations)), std::string::npos) << held.raw;

  // A full sync orphans the records of an organization that no longer syncs (R22); then it goes.
  ASSERT_EQ(sync_now(), "done");
  EXPECT_EQ(count("SELECT COUNT(*) FROM configurations c JOIN psa_links l ON l.entity = 'configuration' AND "
                  "l.local_id = c.id AND l.state = 'orphaned' WHERE c.organization_id = " + org),
            configurations);
  auto deleted = api->del("/organizations/" + org);
  ASSERT_EQ(deleted.status, 204) << deleted.raw;
  for (const char* table : {"organizations", "locations", "contacts", "configurations"}) {
    const std::string entity = core::entity(table).link_entity;
    EXPECT_EQ(count(std::string("SELECT COUNT(*) FROM psa_links l WHERE l.entity = '") + entity +
                    "' AND NOT EXISTS (SELECT 1 FROM " + table + " r WHERE r.id = l.local_id)"),
              0)
        << entity << " links left naming nothing";
  }
  // Each record deleted with it is in the audit trail.
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE entity = 'configuration' AND action = 'delete'"), configurations);

  // The company still syncs in the PSA: the next sync makes it and its configurations again.
  ASSERT_EQ(sync_now(), "done");
  EXPECT_EQ(count(linked_configurations), configurations);
}

TEST_F(SyncApi, DisableAndEnableSync_SwitchARecordsLink_AndWriteTheAuditOnce) {
  ASSERT_EQ(sync_now(), "done");
  std::string local;
  {
    soci::session s(api->db().pool());
    s << "SELECT CAST(MIN(local_id) AS TEXT) FROM psa_links WHERE entity = 'configuration' AND state = 'syncing'",
        soci::into(local);
  }
  ASSERT_FALSE(local.empty());
  const std::string actions = "/configurations/" + local + "/actions/";
  const std::string audit = "SELECT COUNT(*) FROM audit_events WHERE entity = 'configuration' AND record_id = " + local;
  const long long before = count(audit);

  EXPECT_EQ(api->call("POST", actions + "disable-sync", "{}", api->reader_key).status, 403);
  for (int twice = 0; twice < 2; ++twice) {
    auto off = api->post(actions + "disable-sync", json::object());
    ASSERT_EQ(off.status, 200) << off.raw;
    EXPECT_EQ(off.body["data"]["attributes"]["psa-sync-state"], "disabled");
  }
  EXPECT_EQ(count(audit), before + 1);
  EXPECT_EQ(count(audit + " AND action = 'unlink'"), 1);
  // A record whose sync is off may be deleted (D18); this one is switched back on instead.
  for (int twice = 0; twice < 2; ++twice) {
    auto on = api->post(actions + "enable-sync", json::object());
    ASSERT_EQ(on.status, 200) << on.raw;
    EXPECT_EQ(on.body["data"]["attributes"]["psa-sync-state"], "syncing");
  }
  EXPECT_EQ(count(audit), before + 2);
  EXPECT_EQ(api->del("/configurations/" + local).status, 409);

  auto made = api->post("/organizations", {{"data", {{"type", "organizations"}, {"attributes", {{"name", "Local Only"}}}}}});
  ASSERT_EQ(made.status, 201) << made.raw;
  auto unlinked = api->post("/organizations/" + made.body["data"]["id"].get<std::string>() + "/actions/disable-sync",
                            json::object());
  EXPECT_EQ(unlinked.status, 409) << unlinked.raw;
  EXPECT_NE(unlinked.raw.find("not linked to a PSA record"), std::string::npos) << unlinked.raw;
  EXPECT_EQ(api->post("/configurations/999999/actions/enable-sync", json::object()).status, 404);
}

}  // namespace
