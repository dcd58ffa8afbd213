// Two-way sync over HTTP against the ConnectWise and Autotask emulators, on SQLite and
// PostgreSQL: push on save (D14), no echo (R18), retries across an outage and a restart,
// read-only fields (D15) and creates in the PSA (D16, R14, R15).
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <set>
#include <thread>

#include "integration/sim_harness.h"
#include "integration/sync_harness.h"
#include "psa/autotask/source.h"
#include "psa/connectwise/source.h"
#include "store/integrations.h"
#include "store/outbox.h"
#include "store/secrets.h"
#include "support/api_harness.h"
#include "support/cli_runner.h"
#include "sync/engine.h"
#include "sync/pusher.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

json doc(const std::string& type, const json& attributes) { return {{"data", {{"type", type}, {"attributes", attributes}}}}; }

// What the two PSAs' tests share: Cairn's API over a test database, an integration with two-way
// on, a first full sync, and a pusher that retries quickly.
class PushTest : public ::testing::TestWithParam<Backend> {
 protected:
  void start(const store::IntegrationInput& in) {
    setenv("CAIRN_MASTER_KEY", test::kTestMasterKey, 1);
    api = std::make_unique<test::ApiHarness>(GetParam());
    auto key = store::master_key_for(api->db());
    ASSERT_TRUE(key.ok()) << key.error().detail;
    soci::session s(api->db().pool());
    store::Integrations integrations(s, api->db().dialect(), key.value());
    auto created = integrations.create(in, {"test", std::nullopt}, "");
    ASSERT_TRUE(created.ok()) << created.error().detail;
    integration = created.value();
    options.poll = std::chrono::milliseconds(50);
    options.backoff = {std::chrono::milliseconds(20), std::chrono::milliseconds(100)};
  }
  virtual std::unique_ptr<psa::Source> source() = 0;

  sync::RunReport sync(bool full) {
    auto src = source();
    sync::RunOptions o;
    o.full = full;
    return sync::run_sync(api->db(), integration, *src, o);
  }
  long long count(const std::string& sql) { return test::SyncHarness::count(api->db(), sql); }
  // Every documentation row, link, outbox row and audit row: what a pull must not change (R18).
  // The sync log is left out: a pull records its own run.
  std::string documentation() {
    std::string all = api->snapshot();
    auto from = all.find("== sync_runs\n");
    if (from == std::string::npos) return all;
    auto to = all.find("== ", from + 3);
    return all.erase(from, to == std::string::npos ? std::string::npos : to - from);
  }
  std::string text(const std::string& sql) {
    auto v = test::SyncHarness::text(api->db(), sql);
    return v == "(null)" ? "" : v;
  }
  // The first linked record of an entity: (local id, PSA id).
  std::pair<std::string, std::string> linked(const std::string& entity) {
    std::string where = "entity = '" + entity + "' AND state = 'syncing'";
    return {text("SELECT CAST(MIN(local_id) AS TEXT) FROM psa_links WHERE " + where),
            text("SELECT psa_id FROM psa_links WHERE " + where + " AND local_id = (SELECT MIN(local_id) FROM psa_links WHERE " +
                 where + ")")};
  }
  std::string id_of(const std::string& table, const std::string& name) {
    return text("SELECT CAST(id AS TEXT) FROM " + table + " WHERE name = '" + name + "'");
  }
  json attributes(const std::string& type, const std::string& id) { return api->attributes(type, id); }
  test::Reply patch(const std::string& type, const std::string& id, const json& attrs) {
    return api->patch("/" + type + "/" + id, doc(type, attrs));
  }
  bool push_state_becomes(const std::string& type, const std::string& id, const std::string& state) {
    return api->push_state_becomes(type, id, state);
  }
  void set_two_way(bool on, const std::string& account_manager = "") {
    json settings = {{"two-way", on}};
    if (!account_manager.empty()) settings["default-account-manager"] = account_manager;
    auto r = api->patch("/integrations/" + std::to_string(integration.id),
                        {{"data", {{"type", "integrations"}, {"attributes", {{"settings", settings}}}}}});
    ASSERT_EQ(r.status, 200) << r.raw;
  }

  // R16: the PSA email and phone types contacts are pushed with ("" for none).
  void set_channel_types(const std::string& email, const std::string& phone) {
    json settings = {{"two-way-email-type", email}, {"two-way-phone-type", phone}};
    auto r = api->patch("/integrations/" + std::to_string(integration.id),
                        {{"data", {{"type", "integrations"}, {"attributes", {{"settings", settings}}}}}});
    ASSERT_EQ(r.status, 200) << r.raw;
  }
  static json email_rows(const std::string& value) {
    return json::array({{{"value", value}, {"label-name", "Work"}, {"primary", true}}});
  }
  static json phone_rows(const std::string& value, const std::string& extension) {
    return json::array({{{"value", value}, {"extension", extension}, {"label-name", "Office"}, {"primary", true}}});
  }

  // Sends the record's queued create, then puts the database back as it is when Cairn stopped
  // after the PSA took the create and before Cairn's link was committed: no link, and the outbox
  // row still pending under a lease that has run out. Returns the PSA id the create made.
  std::string created_then_stopped_before_link(const std::string& type, const std::string& entity,
                                               const std::string& local_id) {
    {
      sync::Pusher first(api->db(), options);
      EXPECT_EQ(first.run_due(), 1);
    }
    const std::string created = attributes(type, local_id)["psa-id"].get<std::string>();
    soci::session s(api->db().pool());
    const std::string lapsed = "2026-01-01T00:00:00.000Z";
    s << "DELETE FROM psa_links WHERE entity = '" + entity + "' AND local_id = " + local_id;
    s << "UPDATE outbox SET state = 'pending', attempts = 0, lease_until = :l WHERE operation = 'create' AND entity = '" +
             entity + "' AND local_id = " + local_id,
        soci::use(lapsed);
    return created;
  }
  // A pusher started afresh sends the record's create again: it ends linked to `created`.
  void expect_the_next_pusher_links_it_to(const std::string& type, const std::string& local_id, const std::string& created) {
    sync::Pusher next(api->db(), options);
    EXPECT_EQ(next.run_due(), 1);
    auto a = attributes(type, local_id);
    ASSERT_EQ(a["psa-push-state"], "pushed") << a.dump();
    EXPECT_EQ(a["psa-id"], created);
  }
  long long outbox_attempts(const std::string& entity, const std::string& local_id) {
    return count("SELECT MAX(attempts) FROM outbox WHERE operation = 'create' AND entity = '" + entity +
                 "' AND local_id = " + local_id);
  }

  std::unique_ptr<test::ApiHarness> api;
  store::Integration integration;
  sync::PusherOptions options;
};

// The contact's communication item of a kind ("Email", "Phone") in a ConnectWise contact.
json item_of_kind(const json& contact, const std::string& kind) {
  for (const auto& item : contact.value("communicationItems", json::array()))
    if (item.value("communicationType", "") == kind) return item;
  return nullptr;
}

core::SyncSettings two_way_settings() {
  core::SyncSettings settings;
  settings.org_types = {"Customer"};
  settings.org_statuses = {"Active"};
  settings.config_types = {"Managed Server", "Managed Workstation", "Firewall"};
  settings.config_statuses = {"Active"};
  settings.contacts_sync = true;
  settings.two_way = true;
  return settings;
}

// ---------------------------------------------------------------------------------------------
class PushConnectWise : public PushTest {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    sim = std::make_unique<test::CwSim>();
    start(test::connectwise_input(*sim, two_way_settings()));
    ASSERT_EQ(sync(true).state, "done");
    sim->server().requests().reset();
  }
  std::unique_ptr<psa::Source> source() override {
    return std::make_unique<psa::connectwise::Source>(
        integration.base_url, psa::connectwise::Credentials{sim->options().company_id, sim->options().public_key,
                                                            sim->options().private_key, sim->options().client_id});
  }
  json configuration(const std::string& psa_id) { return sim->get("/company/configurations/" + psa_id).body; }
  // Writes of a method whose target names `path` ("/company/configurations").
  size_t writes_to(const std::string& method, const std::string& path) {
    size_t n = 0;
    for (const auto& w : sim->server().requests().writes(method)) n += w.target.find(path) != std::string::npos;
    return n;
  }
  // A managed server made in Cairn under organization `org`: its create is queued.
  std::string new_server(const std::string& org, const std::string& name, const std::string& serial = "") {
    json attrs = {{"organization-id", std::stoll(org)},
                  {"name", name},
                  {"configuration-type-id", std::stoll(id_of("configuration_types", "Managed Server"))},
                  {"configuration-status-id", std::stoll(id_of("configuration_statuses", "Active"))}};
    if (!serial.empty()) attrs["serial-number"] = serial;
    return std::to_string(api->create("configurations", attrs));
  }
  json configurations_named(const std::string& name) {
    return sim->get("/company/configurations?pageSize=1000&conditions=name%3D%22" + name + "%22").body;
  }

  std::unique_ptr<test::CwSim> sim;
};

TEST_P(PushConnectWise, D14_EditIsInThePsaAfterOnePusherCycle_OnlyTheChangedFieldsSent) {
  auto [id, psa_id] = linked("configuration");
  ASSERT_FALSE(id.empty());
  auto r = patch("configurations", id, {{"name", "renamed-in-cairn"}, {"serial-number", "SN-CAIRN-1"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["data"]["attributes"]["psa-push-state"], "pending");
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  auto in_psa = configuration(psa_id);
  EXPECT_EQ(in_psa["name"], "renamed-in-cairn");
  EXPECT_EQ(in_psa["serialNumber"], "SN-CAIRN-1");
  auto patches = sim->server().requests().writes("PATCH");
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_NE(patches[0].target.find("/company/configurations/" + psa_id), std::string::npos);
  std::set<std::string> paths;
  for (const auto& op : json::parse(patches[0].body)) {
    EXPECT_EQ(op["op"], "replace");
    paths.insert(op["path"]);
  }
  EXPECT_EQ(paths, (std::set<std::string>{"name", "serialNumber"}));
  auto a = attributes("configurations", id);
  EXPECT_EQ(a["psa-push-state"], "pushed");
  EXPECT_TRUE(a["psa-push-error"].is_null());
}

TEST_P(PushConnectWise, R18_NextPullAfterAPushWritesNothingAndPushesNothing) {
  auto [id, psa_id] = linked("configuration");
  ASSERT_EQ(patch("configurations", id, {{"name", "pushed-then-pulled"}}).status, 200);
  sync::Pusher pusher(api->db(), options);
  ASSERT_EQ(pusher.run_due(), 1);
  const auto before = documentation();
  const auto outbox_rows = count("SELECT COUNT(*) FROM outbox");
  auto report = sync(true);
  ASSERT_EQ(report.state, "done");
  // A full pull: the pushed record is read back for certain, and left alone.
  EXPECT_EQ(report.totals.by_entity["configurations"]["unchanged"], 15);
  EXPECT_EQ(report.totals.by_entity["configurations"].count("update"), 0u);
  EXPECT_EQ(documentation(), before);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), outbox_rows);
  EXPECT_EQ(pusher.run_due(), 0);
  EXPECT_TRUE(sim->server().requests().writes("PATCH").size() == 1u);
}

TEST_P(PushConnectWise, D14_OutageThenRestartThenPsaBack_EditArrivesExactlyOnce) {
  auto [id, psa_id] = linked("configuration");
  sim->server().faults().set({.fail_rate = 1.0});
  ASSERT_EQ(patch("configurations", id, {{"name", "through-the-outage"}}).status, 200);
  {
    sync::Pusher first(api->db(), options);
    first.start();
    ASSERT_TRUE(push_state_becomes("configurations", id, "failed"));
    first.stop();  // Cairn goes down while the PSA is still out
  }
  auto a = attributes("configurations", id);
  EXPECT_NE(a["psa-push-error"].get<std::string>().find("ConnectWise answered 500"), std::string::npos) << a.dump();
  EXPECT_EQ(sim->server().requests().writes("PATCH").size(), 0u);  // nothing reached the data
  sim->server().faults().set({});
  sync::Pusher second(api->db(), options);  // Cairn again, then the PSA back
  second.start();
  ASSERT_TRUE(push_state_becomes("configurations", id, "pushed"));
  second.stop();
  EXPECT_EQ(configuration(psa_id)["name"], "through-the-outage");
  EXPECT_EQ(sim->server().requests().writes("PATCH", "").size(), 1u);
  const auto before = documentation();
  ASSERT_EQ(sync(true).state, "done");
  EXPECT_EQ(documentation(), before);
}

TEST_P(PushConnectWise, D14_AFailedPushIsRetriedOrDroppedByAPerson) {
  auto [id, psa_id] = linked("configuration");
  // A refusal retrying cannot fix (no such status in ConnectWise) waits for a person.
  auto status = api->create("configuration_statuses", {{"name", "Not In ConnectWise"}});
  ASSERT_EQ(patch("configurations", id, {{"configuration-status-id", status}}).status, 200);
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  auto a = attributes("configurations", id);
  EXPECT_EQ(a["psa-push-state"], "failed");
  EXPECT_NE(a["psa-push-error"].get<std::string>().find("Not In ConnectWise"), std::string::npos) << a.dump();
  EXPECT_EQ(pusher.run_due(), 0);  // not due again on its own
  // Retry: due now (still refused by the PSA); drop: given up, the record shows it.
  auto retried = api->post("/configurations/" + id + "/actions/retry-push", json::object());
  ASSERT_EQ(retried.status, 200) << retried.raw;
  EXPECT_EQ(retried.body["data"]["attributes"]["psa-push-state"], "pending");
  EXPECT_EQ(pusher.run_due(), 1);
  auto dropped = api->post("/configurations/" + id + "/actions/drop-push", json::object());
  ASSERT_EQ(dropped.status, 200) << dropped.raw;
  EXPECT_EQ(dropped.body["data"]["attributes"]["psa-push-state"], "dropped");
  EXPECT_EQ(api->post("/configurations/" + id + "/actions/drop-push", json::object()).status, 409);
  EXPECT_EQ(api->call("POST", "/configurations/" + id + "/actions/retry-push", "{}", api->reader_key).status, 403);
  // The next edit goes through: a dropped push no longer holds the record's queue.
  ASSERT_EQ(patch("configurations", id, {{"name", "after-the-drop"}}).status, 200);
  EXPECT_EQ(pusher.run_due(), 1);
  EXPECT_EQ(configuration(psa_id)["name"], "after-the-drop");
}

TEST_P(PushConnectWise, D14_SavesWakeTheRunningPusherAtOnce) {
  options.poll = std::chrono::seconds(30);  // only the bell can wake it in time
  sync::Pusher pusher(api->db(), options);
  pusher.start();
  auto [id, psa_id] = linked("configuration");
  ASSERT_EQ(patch("configurations", id, {{"name", "rang-the-bell"}}).status, 200);
  EXPECT_TRUE(push_state_becomes("configurations", id, "pushed"));
  EXPECT_EQ(configuration(psa_id)["name"], "rang-the-bell");
}

TEST_P(PushConnectWise, D15_OneWayFieldsStayReadOnlyWithTwoWayOn_CairnOnlyFieldsPushNothing) {
  auto [location, site] = linked("location");
  auto r = patch("locations", location, {{"phone", "555-0199"}});
  ASSERT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["errors"][0]["source"]["pointer"], "/data/attributes/phone");
  EXPECT_NE(r.body["errors"][0]["detail"].get<std::string>().find("one-way"), std::string::npos);
  r = patch("locations", location, {{"fax", "555-0198"}});
  ASSERT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["errors"][0]["source"]["pointer"], "/data/attributes/fax");
  auto [config, psa_id] = linked("configuration");
  ASSERT_EQ(patch("configurations", config, {{"hostname", "cairn-only"}, {"restricted", true}}).status, 200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_TRUE(attributes("configurations", config)["psa-push-state"].is_null());
}

TEST_P(PushConnectWise, D15_TwoWayOff_MappedFieldsAreReadOnly) {
  set_two_way(false);
  auto [config, psa_id] = linked("configuration");
  auto r = patch("configurations", config, {{"name", "refused"}});
  ASSERT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["errors"][0]["source"]["pointer"], "/data/attributes/name");
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
}

TEST_P(PushConnectWise, D16_ConfigurationWithTypeAndStatus_IsCreatedInThePsaAndLinked) {
  auto [org, company] = linked("organization");
  auto id = new_server(org, "made-in-cairn", "SN-NEW-1");
  EXPECT_EQ(attributes("configurations", id)["psa-push-state"], "pending");
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  auto a = attributes("configurations", id);
  EXPECT_EQ(a["psa-push-state"], "pushed");
  ASSERT_TRUE(a["psa-id"].is_string()) << a.dump();
  auto in_psa = configuration(a["psa-id"].get<std::string>());
  EXPECT_EQ(in_psa["name"], "made-in-cairn");
  EXPECT_EQ(in_psa["serialNumber"], "SN-NEW-1");
  EXPECT_EQ(in_psa["company"]["id"].get<std::int64_t>(), std::stoll(company));
  EXPECT_EQ(in_psa["status"]["name"], "Active");
  // Linked: the next pull changes nothing, and creates no duplicate.
  const auto before = documentation();
  ASSERT_EQ(sync(true).state, "done");
  EXPECT_EQ(documentation(), before);
  EXPECT_EQ(sim->server().requests().writes("POST", "").size(), 1u);
}

TEST_P(PushConnectWise, D16_CreateWhoseAnswerWasLost_IsFoundByItsMatchKeyOnTheRetry_NotCreatedTwice) {
  auto [org, company] = linked("organization");
  sync::Pusher pusher(api->db(), options);
  // The connector reads ConnectWise's company info and its type and status ids once, at its
  // first create: one goes first, so the fault below meets the second create's POST alone.
  new_server(org, "warm-up", "SN-WARM-1");
  ASSERT_EQ(pusher.run_due(), 1);
  auto id = new_server(org, "answer-lost", "SN-LOST-1");
  // ConnectWise makes the record, and its answer arrives cut in half: Cairn cannot know it worked.
  ASSERT_EQ(sim->admin("PUT", "/faults", R"({"malformed_rate": 1})").status / 100, 2);
  EXPECT_EQ(pusher.run_due(), 1);
  ASSERT_EQ(sim->admin("PUT", "/faults", R"({"malformed_rate": 0})").status / 100, 2);
  EXPECT_EQ(attributes("configurations", id)["psa-push-state"], "failed");
  ASSERT_EQ(writes_to("POST", "/company/configurations"), 2u);
  // The retry looks before it creates, finds it, and links it.
  for (int i = 0; i < 100 && attributes("configurations", id)["psa-push-state"] != "pushed"; ++i) {
    pusher.run_due();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto a = attributes("configurations", id);
  ASSERT_EQ(a["psa-push-state"], "pushed") << a.dump();
  EXPECT_EQ(writes_to("POST", "/company/configurations"), 2u);
  auto named = configurations_named("answer-lost");
  ASSERT_EQ(named.size(), 1u) << named.dump();
  EXPECT_EQ(std::to_string(named[0]["id"].get<std::int64_t>()), a["psa-id"].get<std::string>());
}

TEST_P(PushConnectWise, D16_PusherStoppedBetweenCreateAndLink_TheNextOneLinksWhatItCreated_AndSendsLaterEdits) {
  auto [org, company] = linked("organization");
  auto id = new_server(org, "crash-window", "SN-CRASH-1");
  const std::string created = created_then_stopped_before_link("configurations", "configuration", id);
  // While it waited, a person changed a field the create did not carry (no outbox row of its own:
  // the queued create sends today's values).
  ASSERT_EQ(patch("configurations", id, {{"notes", "edited while the create waited"}}).status, 200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE entity = 'configuration' AND local_id = " + id), 1);
  sim->server().requests().reset();
  expect_the_next_pusher_links_it_to("configurations", id, created);
  EXPECT_EQ(outbox_attempts("configuration", id), 2);  // the lease that ran out counts as an attempt
  EXPECT_EQ(writes_to("POST", "/company/configurations"), 0u);
  EXPECT_EQ(writes_to("PATCH", "/company/configurations/" + created), 1u);
  EXPECT_EQ(configuration(created)["notes"], "edited while the create waited");
  auto named = configurations_named("crash-window");
  EXPECT_EQ(named.size(), 1u) << named.dump();
  // Linked with the PSA's answer as its fingerprint: the next pull changes nothing (R18).
  const auto before = documentation();
  ASSERT_EQ(sync(true).state, "done");
  EXPECT_EQ(documentation(), before);
}

TEST_P(PushConnectWise, D16_RetryFindsTwoPsaRecordsWithTheKey_FailsAsAmbiguous_CreatesNothing) {
  auto [org, company] = linked("organization");
  auto id = new_server(org, "twin");
  const std::string created = created_then_stopped_before_link("configurations", "configuration", id);
  // Someone made a second one in ConnectWise by hand.
  const json first = configuration(created);
  auto made = sim->post("/company/configurations", {{"name", "twin"},
                                                    {"type", {{"id", first["type"]["id"]}}},
                                                    {"status", {{"id", first["status"]["id"]}}},
                                                    {"company", {{"id", std::stoll(company)}}}});
  ASSERT_EQ(made.status / 100, 2) << made.raw;
  const std::string twin = std::to_string(made.body["id"].get<std::int64_t>());
  sim->server().requests().reset();

  sync::Pusher next(api->db(), options);
  EXPECT_EQ(next.run_due(), 1);
  auto a = attributes("configurations", id);
  EXPECT_EQ(a["psa-push-state"], "failed") << a.dump();
  const std::string error = a["psa-push-error"].is_string() ? a["psa-push-error"].get<std::string>() : a.dump();
  EXPECT_NE(error.find("ambiguous"), std::string::npos) << error;
  EXPECT_NE(error.find(created), std::string::npos) << error;
  EXPECT_NE(error.find(twin), std::string::npos) << error;
  EXPECT_EQ(sim->server().requests().writes("POST").size(), 0u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links WHERE entity = 'configuration' AND local_id = " + id), 0);
  // A person's call: it waits for them rather than coming round again.
  EXPECT_EQ(next.run_due(), 0);
}

TEST_P(PushConnectWise, D16_ConfigurationWithoutStatus_StaysLocalAndSaysWhy) {
  auto [org, company] = linked("organization");
  auto id = std::to_string(api->create("configurations", {{"organization-id", std::stoll(org)},
                                                          {"name", "no-status"},
                                                          {"configuration-type-id", std::stoll(id_of("configuration_types", "Managed Server"))}}));
  auto a = attributes("configurations", id);
  EXPECT_EQ(a["psa-push-state"], "not-pushed");
  EXPECT_EQ(a["psa-push-error"], "not pushed to ConnectWise Manage: ConnectWise needs a configuration status");
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 0);
  EXPECT_TRUE(sim->server().requests().writes("POST").empty());
}

TEST_P(PushConnectWise, D16_TypeNotEnabled_StaysLocal) {
  auto [org, company] = linked("organization");
  auto type = api->create("configuration_types", {{"name", "Coffee Machine"}});
  auto id = std::to_string(api->create("configurations", {{"organization-id", std::stoll(org)},
                                                          {"name", "printer-1"},
                                                          {"configuration-type-id", type},
                                                          {"configuration-status-id", std::stoll(id_of("configuration_statuses", "Active"))}}));
  auto a = attributes("configurations", id);
  EXPECT_EQ(a["psa-push-state"], "not-pushed");
  EXPECT_NE(a["psa-push-error"].get<std::string>().find("\"Coffee Machine\" is not enabled"), std::string::npos) << a.dump();
}

TEST_P(PushConnectWise, R14_R15_BulkImportIsNotPushedUntilAPersonSavesIt) {
  auto [org, company] = linked("organization");
  const auto type = std::stoll(id_of("configuration_types", "Managed Server"));
  const auto status = std::stoll(id_of("configuration_statuses", "Active"));
  json items = json::array();
  for (const char* name : {"imported-1", "imported-2"})
    items.push_back({{"type", "configurations"},
                     {"attributes",
                      {{"organization-id", std::stoll(org)}, {"name", name}, {"configuration-type-id", type},
                       {"configuration-status-id", status}}}});
  auto r = api->post("/configurations", {{"data", items}});
  ASSERT_EQ(r.status, 201) << r.raw;
  const std::string first = r.body["data"][0]["id"];
  EXPECT_EQ(r.body["data"][0]["attributes"]["psa-push-state"], "not-pushed");
  EXPECT_NE(r.body["data"][0]["attributes"]["psa-push-error"].get<std::string>().find("imported in bulk"), std::string::npos);
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 0);
  // A person's save is the confirmation.
  ASSERT_EQ(patch("configurations", first, {{"notes", "checked by a person"}}).status, 200);
  EXPECT_EQ(pusher.run_due(), 1);
  auto a = attributes("configurations", first);
  EXPECT_EQ(a["psa-push-state"], "pushed");
  EXPECT_EQ(configuration(a["psa-id"].get<std::string>())["notes"], "checked by a person");
  EXPECT_EQ(sim->server().requests().writes("POST").size(), 1u);
}

TEST_P(PushConnectWise, D16_RecordInAnUnlinkedOrganization_StaysLocalWithoutAPushState) {
  auto org = api->create("organizations", {{"name", "Local Only Ltd"}});
  auto id = std::to_string(api->create("contacts", {{"organization-id", org}, {"first-name", "Lou"}}));
  EXPECT_TRUE(attributes("contacts", id)["psa-push-state"].is_null());
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE entity = 'contact'"), 0);
}

TEST_P(PushConnectWise, D16_ContactAndOrganizationAreCreated) {
  auto [org, company] = linked("organization");
  auto contact = std::to_string(api->create("contacts", {{"organization-id", std::stoll(org)}, {"first-name", "Ada"},
                                                         {"last-name", "Lovelace"}, {"title", "Engineer"}}));
  auto new_org = std::to_string(api->create("organizations", {{"name", "Pushed Org"}, {"short-name", "PUSHEDORG"},
                                                              {"organization-type-id", std::stoll(id_of("organization_types", "Customer"))},
                                                              {"organization-status-id", std::stoll(id_of("organization_statuses", "Active"))}}));
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 2);
  auto c = attributes("contacts", contact);
  ASSERT_EQ(c["psa-push-state"], "pushed") << c.dump();
  auto in_psa = sim->get("/company/contacts/" + c["psa-id"].get<std::string>()).body;
  EXPECT_EQ(in_psa["firstName"], "Ada");
  EXPECT_EQ(in_psa["company"]["id"].get<std::int64_t>(), std::stoll(company));
  auto o = attributes("organizations", new_org);
  ASSERT_EQ(o["psa-push-state"], "pushed") << o.dump();
  EXPECT_EQ(sim->get("/company/companies/" + o["psa-id"].get<std::string>()).body["identifier"], "PUSHEDORG");
}

TEST_P(PushConnectWise, R16_EmailAndPhoneArePushedWithTheChosenTypes_ThenOnlyTheChangedEmail) {
  set_channel_types("Email", "Direct");
  auto [org, company] = linked("organization");
  json emails = email_rows("ada@example.com");
  json phones = phone_rows("+15550100", "12");
  auto id = std::to_string(api->create("contacts", {{"organization-id", std::stoll(org)}, {"first-name", "Ada"},
                                                    {"last-name", "Lovelace"}, {"contact-emails", emails},
                                                    {"contact-phones", phones}}));
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  auto a = attributes("contacts", id);
  ASSERT_EQ(a["psa-push-state"], "pushed") << a.dump();
  EXPECT_EQ(a["psa-badge"], true);
  const std::string psa_id = a["psa-id"];
  auto in_psa = sim->get("/company/contacts/" + psa_id).body;
  auto email = item_of_kind(in_psa, "Email"), phone = item_of_kind(in_psa, "Phone");
  ASSERT_TRUE(email.is_object()) << in_psa.dump();
  EXPECT_EQ(email["value"], "ada@example.com");
  EXPECT_EQ(email["type"]["name"], "Email");
  EXPECT_EQ(email["defaultFlag"], true);
  ASSERT_TRUE(phone.is_object()) << in_psa.dump();
  EXPECT_EQ(phone["value"], "+15550100");
  EXPECT_EQ(phone["extension"], "12");
  EXPECT_EQ(phone["type"]["name"], "Direct");

  // An edit of the email: one PATCH operation, on that item's value.
  sim->server().requests().reset();
  emails[0]["value"] = "ada.l@example.com";
  ASSERT_EQ(patch("contacts", id, {{"contact-emails", emails}}).status, 200);
  EXPECT_EQ(pusher.run_due(), 1);
  auto patches = sim->server().requests().writes("PATCH");
  ASSERT_EQ(patches.size(), 1u);
  const json ops = json::parse(patches[0].body);
  ASSERT_EQ(ops.size(), 1u) << ops.dump();
  EXPECT_EQ(ops[0]["op"], "replace");
  EXPECT_NE(ops[0]["path"].get<std::string>().find("/communicationItems/"), std::string::npos) << ops.dump();
  EXPECT_EQ(ops[0]["value"], "ada.l@example.com");
  in_psa = sim->get("/company/contacts/" + psa_id).body;
  EXPECT_EQ(item_of_kind(in_psa, "Email")["value"], "ada.l@example.com");
  EXPECT_EQ(item_of_kind(in_psa, "Phone")["value"], "+15550100");
  EXPECT_EQ(in_psa["communicationItems"].size(), 2u);

  // A second, non-primary phone is not what a push carries: nothing is queued.
  const auto rows = count("SELECT COUNT(*) FROM outbox");
  phones.push_back({{"value", "+15550199"}, {"label-name", "Mobile"}, {"primary", false}});
  ASSERT_EQ(patch("contacts", id, {{"contact-phones", phones}}).status, 200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), rows);
}

TEST_P(PushConnectWise, R16_NoTypesChosen_TheContactIsPushedWithoutEmailOrPhone) {
  auto [org, company] = linked("organization");
  auto id = std::to_string(api->create("contacts", {{"organization-id", std::stoll(org)}, {"first-name", "Bo"},
                                                    {"last-name", "Plain"}, {"contact-emails", email_rows("bo@example.com")},
                                                    {"contact-phones", phone_rows("+1 555 0101", "")}}));
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  auto a = attributes("contacts", id);
  ASSERT_EQ(a["psa-push-state"], "pushed") << a.dump();
  auto in_psa = sim->get("/company/contacts/" + a["psa-id"].get<std::string>()).body;
  EXPECT_EQ(in_psa["firstName"], "Bo");
  EXPECT_TRUE(in_psa.value("communicationItems", json::array()).empty()) << in_psa.dump();
  // And an edit of the email alone pushes nothing.
  ASSERT_EQ(patch("contacts", id, {{"contact-emails", email_rows("bo2@example.com")}}).status, 200);
  EXPECT_EQ(pusher.run_due(), 0);
}

TEST_P(PushConnectWise, D16_TwoWayOff_NothingIsQueued) {
  set_two_way(false);
  auto [org, company] = linked("organization");
  auto id = std::to_string(api->create("contacts", {{"organization-id", std::stoll(org)}, {"first-name", "Off"}}));
  EXPECT_TRUE(attributes("contacts", id)["psa-push-state"].is_null());
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PushConnectWise, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

// ---------------------------------------------------------------------------------------------
class PushAutotask : public PushTest {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    sim = std::make_unique<test::AtSim>();
    start(test::autotask_input(*sim, two_way_settings()));
    ASSERT_EQ(sync(true).state, "done");
    sim->server().requests().reset();
  }
  std::string zone_url() const { return sim->base_url() + "/atservicesrest/"; }
  std::unique_ptr<psa::Source> source() override {
    return std::make_unique<psa::autotask::Source>(
        zone_url(), psa::autotask::Credentials{sim->options().username, sim->options().secret, sim->options().integration_code});
  }
  json item(const std::string& entity, const std::string& psa_id) { return sim->get("/" + entity + "/" + psa_id).body["item"]; }

  std::unique_ptr<test::AtSim> sim;
};

TEST_P(PushAutotask, D14_EditIsInThePsaAfterOnePusherCycle_OnlyTheChangedFieldsSent) {
  auto [id, psa_id] = linked("configuration");
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(patch("configurations", id, {{"name", "at-renamed"}, {"serial-number", "AT-SN-9"}}).status, 200);
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  auto in_psa = item("ConfigurationItems", psa_id);
  EXPECT_EQ(in_psa["referenceTitle"], "at-renamed");
  EXPECT_EQ(in_psa["serialNumber"], "AT-SN-9");
  auto patches = sim->server().requests().writes("PATCH");
  ASSERT_EQ(patches.size(), 1u);
  std::set<std::string> keys;
  const json body = json::parse(patches[0].body);  // named: items() of a temporary would dangle
  for (const auto& [k, v] : body.items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"id", "referenceTitle", "serialNumber"}));
  EXPECT_EQ(attributes("configurations", id)["psa-push-state"], "pushed");
  // R18: the next pull writes nothing, pushes nothing.
  const auto before = documentation();
  ASSERT_EQ(sync(true).state, "done");
  EXPECT_EQ(documentation(), before);
  EXPECT_EQ(pusher.run_due(), 0);
}

TEST_P(PushAutotask, D14_OutageThenRestartThenPsaBack_EditArrivesExactlyOnce) {
  auto [id, psa_id] = linked("contact");
  ASSERT_FALSE(id.empty());
  sim->server().faults().set({.fail_rate = 1.0});
  ASSERT_EQ(patch("contacts", id, {{"title", "Through The Outage"}}).status, 200);
  {
    sync::Pusher first(api->db(), options);
    first.start();
    ASSERT_TRUE(push_state_becomes("contacts", id, "failed"));
    first.stop();
  }
  sim->server().faults().set({});
  sync::Pusher second(api->db(), options);
  second.start();
  ASSERT_TRUE(push_state_becomes("contacts", id, "pushed"));
  second.stop();
  EXPECT_EQ(item("Contacts", psa_id)["title"], "Through The Outage");
  auto patches = sim->server().requests().writes("PATCH");
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_NE(patches[0].target.find("/Companies/"), std::string::npos);  // written under its company
  const auto before = documentation();
  ASSERT_EQ(sync(true).state, "done");
  EXPECT_EQ(documentation(), before);
}

TEST_P(PushAutotask, D15_LocationPhoneIsTwoWayHere_CairnOnlyFieldsPushNothing) {
  auto [config, psa_id] = linked("configuration");
  // Autotask maps no MAC address (§2.2): Cairn's own, editable, never pushed.
  ASSERT_EQ(patch("configurations", config, {{"mac-address", "00:11:22:33:44:55"}}).status, 200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 0);
  set_two_way(false);
  auto r = patch("configurations", config, {{"serial-number", "refused"}});
  ASSERT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["errors"][0]["source"]["pointer"], "/data/attributes/serial-number");
}

TEST_P(PushAutotask, D16_ConfigurationNeedsManufacturerAndModel) {
  auto [org, company] = linked("organization");
  const auto type = std::stoll(id_of("configuration_types", "Managed Server"));
  const auto active = std::stoll(id_of("configuration_statuses", "Active"));
  auto bare = std::to_string(api->create("configurations", {{"organization-id", std::stoll(org)}, {"name", "no-product"},
                                                            {"configuration-type-id", type}, {"configuration-status-id", active}}));
  auto a = attributes("configurations", bare);
  EXPECT_EQ(a["psa-push-state"], "not-pushed");
  EXPECT_EQ(a["psa-push-error"], "not pushed to Autotask PSA: Autotask needs a manufacturer");
  // A manufacturer and model Autotask has (they came with the first sync, R7).
  const std::string model = text("SELECT CAST(MIN(model_id) AS TEXT) FROM configurations WHERE model_id IS NOT NULL");
  ASSERT_FALSE(model.empty());
  const std::string manufacturer = text("SELECT CAST(manufacturer_id AS TEXT) FROM models WHERE id = " + model);
  auto no_model = std::to_string(api->create("configurations", {{"organization-id", std::stoll(org)}, {"name", "no-model"},
                                                                {"configuration-type-id", type}, {"configuration-status-id", active},
                                                                {"manufacturer-id", std::stoll(manufacturer)}}));
  EXPECT_EQ(attributes("configurations", no_model)["psa-push-error"], "not pushed to Autotask PSA: Autotask needs a model");
  auto full = std::to_string(api->create("configurations", {{"organization-id", std::stoll(org)}, {"name", "with-product"},
                                                             {"configuration-type-id", type}, {"configuration-status-id", active},
                                                             {"manufacturer-id", std::stoll(manufacturer)},
                                                             {"model-id", std::stoll(model)}}));
  EXPECT_EQ(attributes("configurations", full)["psa-push-state"], "pending");
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  auto f = attributes("configurations", full);
  ASSERT_EQ(f["psa-push-state"], "pushed") << f.dump();
  auto in_psa = item("ConfigurationItems", f["psa-id"].get<std::string>());
  EXPECT_EQ(in_psa["referenceTitle"], "with-product");
  EXPECT_EQ(std::to_string(in_psa["companyID"].get<std::int64_t>()), company);
  EXPECT_EQ(in_psa["isActive"], true);
  const auto before = documentation();
  ASSERT_EQ(sync(true).state, "done");
  EXPECT_EQ(documentation(), before);
}

TEST_P(PushAutotask, D16_CompanyNeedsTheDefaultAccountManager) {
  json attrs = {{"name", "New AT Company"},
                {"organization-type-id", std::stoll(id_of("organization_types", "Customer"))},
                {"organization-status-id", std::stoll(id_of("organization_statuses", "Active"))}};
  auto without = std::to_string(api->create("organizations", attrs));
  auto a = attributes("organizations", without);
  EXPECT_EQ(a["psa-push-state"], "not-pushed");
  EXPECT_EQ(a["psa-push-error"],
            "not pushed to Autotask PSA: Autotask needs a default account manager in the integration's two-way settings");
  set_two_way(true, "Jane Owner");
  attrs["name"] = "Owned AT Company";
  auto with = std::to_string(api->create("organizations", attrs));
  // The account manager is there now; the company phone (its primary location's) is next.
  EXPECT_EQ(attributes("organizations", with)["psa-push-error"],
            "not pushed to Autotask PSA: Autotask needs a company phone: give the organization's primary location a phone");
}

TEST_P(PushAutotask, D16_CompanyPhoneIsItsPrimaryLocations_CreatedAndLinkedOnceThatHasOne) {
  set_two_way(true, "John Smith");  // a resource of the emulator
  auto org = std::to_string(api->create("organizations", {{"name", "Phoned AT Company"},
                                                          {"organization-type-id", std::stoll(id_of("organization_types", "Customer"))},
                                                          {"organization-status-id", std::stoll(id_of("organization_statuses", "Active"))}}));
  auto a = attributes("organizations", org);
  EXPECT_EQ(a["psa-push-state"], "not-pushed");
  EXPECT_EQ(a["psa-push-error"],
            "not pushed to Autotask PSA: Autotask needs a company phone: give the organization's primary location a phone");
  // A location that is not primary gives it no phone.
  auto branch = std::to_string(api->create("locations", {{"organization-id", std::stoll(org)}, {"name", "Branch"},
                                                         {"phone", "+15550100"}}));
  EXPECT_EQ(attributes("organizations", org)["psa-push-state"], "not-pushed");
  // Its primary location with a phone: the company is created with it (and the location's address).
  auto hq = std::to_string(api->create("locations", {{"organization-id", std::stoll(org)}, {"name", "HQ"}, {"primary", true},
                                                     {"phone", "+15550199"}, {"address-1", "1 Main St"},
                                                     {"city", "Leeds"}, {"postal-code", "LS1 1AA"}}));
  EXPECT_EQ(attributes("organizations", org)["psa-push-state"], "pending");
  EXPECT_FALSE(attributes("organizations", org).contains("primary-location-phone"));  // Cairn's own, not an attribute
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  a = attributes("organizations", org);
  ASSERT_EQ(a["psa-push-state"], "pushed") << a.dump();
  EXPECT_EQ(a["psa-sync-state"], "syncing");
  const std::string company = a["psa-id"].get<std::string>();
  auto in_psa = item("Companies", company);
  EXPECT_EQ(in_psa["companyName"], "Phoned AT Company");
  EXPECT_EQ(in_psa["phone"], "+15550199");
  EXPECT_EQ(in_psa["address1"], "1 Main St");
  EXPECT_EQ(in_psa["city"], "Leeds");
  EXPECT_EQ(in_psa["postalCode"], "LS1 1AA");
  std::vector<sim::LoggedWrite> creates;  // Autotask's queries are POSTs too
  for (auto& w : sim->server().requests().writes("POST"))
    if (w.target.find("/query") == std::string::npos) creates.push_back(w);
  ASSERT_EQ(creates.size(), 1u);
  EXPECT_EQ(json::parse(creates[0].body)["phone"], "+15550199");
  // The locations follow on their next save, under the company.
  ASSERT_EQ(patch("locations", hq, {{"notes", "head office"}}).status, 200);
  ASSERT_EQ(patch("locations", branch, {{"notes", "second site"}}).status, 200);
  EXPECT_EQ(pusher.run_due(), 2);
  auto l = attributes("locations", hq);
  ASSERT_EQ(l["psa-push-state"], "pushed") << l.dump();
  EXPECT_EQ(std::to_string(item("CompanyLocations", l["psa-id"].get<std::string>())["companyID"].get<std::int64_t>()), company);
  // An edit of the location's phone is the location's push; the company keeps the phone it was created with.
  ASSERT_EQ(patch("locations", hq, {{"phone", "+15550111"}}).status, 200);
  EXPECT_EQ(pusher.run_due(), 1);
  EXPECT_EQ(item("CompanyLocations", l["psa-id"].get<std::string>())["phone"], "+15550111");
  EXPECT_EQ(item("Companies", company)["phone"], "+15550199");
  // R18: the next pull writes nothing, pushes nothing.
  const auto before = documentation();
  ASSERT_EQ(sync(true).state, "done");
  EXPECT_EQ(documentation(), before);
  EXPECT_EQ(pusher.run_due(), 0);
}

TEST_P(PushAutotask, D16_ContactInALinkedCompanyIsCreatedUnderIt) {
  auto [org, company] = linked("organization");
  auto id = std::to_string(api->create("contacts", {{"organization-id", std::stoll(org)}, {"first-name", "Grace"},
                                                    {"last-name", "Hopper"}}));
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  auto a = attributes("contacts", id);
  ASSERT_EQ(a["psa-push-state"], "pushed") << a.dump();
  auto in_psa = item("Contacts", a["psa-id"].get<std::string>());
  EXPECT_EQ(in_psa["lastName"], "Hopper");
  EXPECT_EQ(std::to_string(in_psa["companyID"].get<std::int64_t>()), company);
  auto no_last = std::to_string(api->create("contacts", {{"organization-id", std::stoll(org)}, {"first-name", "Cher"}}));
  EXPECT_EQ(attributes("contacts", no_last)["psa-push-error"], "not pushed to Autotask PSA: Autotask needs a last name");
}

TEST_P(PushAutotask, D16_PusherStoppedBetweenCreateAndLink_TheNextOneLinksWhatItCreated) {
  auto [org, company] = linked("organization");
  auto id = std::to_string(api->create("contacts", {{"organization-id", std::stoll(org)}, {"first-name", "Katherine"},
                                                    {"last-name", "Johnson"}}));
  const std::string created = created_then_stopped_before_link("contacts", "contact", id);
  sim->server().requests().reset();
  expect_the_next_pusher_links_it_to("contacts", id, created);
  size_t contact_creates = 0;
  for (const auto& w : sim->server().requests().writes("POST"))
    if (w.target.find("/query") == std::string::npos && w.target.find("Contacts") != std::string::npos) ++contact_creates;
  EXPECT_EQ(contact_creates, 0u);
  EXPECT_EQ(item("Contacts", created)["lastName"], "Johnson");
}

TEST_P(PushAutotask, R16_EmailAndPhoneFillTheSlotsOfTheChosenTypes_ThenOnlyTheChangedEmail) {
  set_channel_types("Work", "Mobile");
  auto [org, company] = linked("organization");
  auto id = std::to_string(api->create("contacts", {{"organization-id", std::stoll(org)}, {"first-name", "Grace"},
                                                    {"last-name", "Hopper"}, {"contact-emails", email_rows("grace@example.com")},
                                                    {"contact-phones", phone_rows("+1 555 0102", "")}}));
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  auto a = attributes("contacts", id);
  ASSERT_EQ(a["psa-push-state"], "pushed") << a.dump();
  EXPECT_EQ(a["psa-badge"], true);
  const std::string psa_id = a["psa-id"];
  auto in_psa = item("Contacts", psa_id);
  EXPECT_EQ(in_psa["emailAddress"], "grace@example.com");
  EXPECT_EQ(in_psa["mobilePhone"], "+15550102");
  EXPECT_TRUE(in_psa["phone"].is_null() || in_psa["phone"] == "") << in_psa.dump();

  sim->server().requests().reset();
  ASSERT_EQ(patch("contacts", id, {{"contact-emails", email_rows("grace.h@example.com")}}).status, 200);
  EXPECT_EQ(pusher.run_due(), 1);
  auto patches = sim->server().requests().writes("PATCH");
  ASSERT_EQ(patches.size(), 1u);
  std::set<std::string> keys;
  const json body = json::parse(patches[0].body);
  for (const auto& [k, v] : body.items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"id", "emailAddress"}));
  in_psa = item("Contacts", psa_id);
  EXPECT_EQ(in_psa["emailAddress"], "grace.h@example.com");
  EXPECT_EQ(in_psa["mobilePhone"], "+15550102");
}

INSTANTIATE_TEST_SUITE_P(Backends, PushAutotask, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

// ---------------------------------------------------------------------------------------------
// `cairn outbox`: the same person's controls on the command line.
class OutboxCli : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    setenv("CAIRN_MASTER_KEY", test::kTestMasterKey, 1);
    h = std::make_unique<test::SyncHarness>(GetParam());
    sim = std::make_unique<test::CwSim>();
    auto settings = two_way_settings();
    integration = h->create_integration(test::connectwise_input(*sim, settings));
  }
  test::CliRun cairn(std::vector<std::string> args) {
    args.push_back("--db");
    args.push_back(h->tdb().spec());
    return test::run_cairn(args, {std::string("CAIRN_MASTER_KEY=") + test::kTestMasterKey});
  }
  std::unique_ptr<test::SyncHarness> h;
  std::unique_ptr<test::CwSim> sim;
  store::Integration integration;
};

TEST_P(OutboxCli, ListRetryDrop) {
  std::int64_t row = 0;
  {
    soci::session s(h->db().pool());
    store::Outbox outbox(s, h->db().dialect());
    row = outbox.enqueue(integration.id, "configuration", 42, "update", R"({"fields":{"name":"x"}})");
    outbox.mark_failed(row, "ConnectWise answered 400: bad", store::kNeverDue);
  }
  auto list = cairn({"outbox", "list", "--state", "failed"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find(std::to_string(row) + "\t" + std::to_string(integration.id) + "\tconfiguration\t42\tupdate\tfailed\t1"),
            std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find("ConnectWise answered 400: bad"), std::string::npos);
  auto retry = cairn({"outbox", "retry", std::to_string(row)});
  ASSERT_EQ(retry.code, 0) << retry.err;
  EXPECT_EQ(h->text("SELECT state FROM outbox WHERE id = " + std::to_string(row)), "pending");
  auto drop = cairn({"outbox", "drop", std::to_string(row)});
  EXPECT_EQ(drop.code, 4) << drop.err;  // only a failed push can be dropped
  EXPECT_NE(drop.err.find("only a failed push can be dropped"), std::string::npos) << drop.err;
  EXPECT_EQ(cairn({"outbox", "retry", "999999"}).code, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxCli, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
