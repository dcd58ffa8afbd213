// Push-all (R17, D17) against the ConnectWise and Autotask emulators, on SQLite and PostgreSQL:
// the plan shows link, create and skip and writes nothing; a run links what the PSA has by match
// key and creates the rest once; a rerun changes nothing; killed with SIGKILL part way and run
// again, every syncable record is in the PSA once and linked; Autotask's budget is waited for.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "core/schema.h"
#include "core/time.h"
#include "integration/sim_harness.h"
#include "integration/sync_harness.h"
#include "store/records.h"
#include "support/api_harness.h"
#include "support/cli_runner.h"
#include "sync/connectors.h"
#include "sync/engine.h"
#include "sync/push_all.h"
#include "sync/push_queue.h"
#include "sync/pusher.h"

using namespace cairn;
using core::SyncEntity;
using core::Value;
using test::Backend;

namespace {

const SyncEntity kEntities[] = {SyncEntity::Organization, SyncEntity::Location, SyncEntity::Contact,
                                SyncEntity::Configuration};

core::SyncSettings push_all_settings() {
  core::SyncSettings s;
  s.org_types = {"Customer"};
  s.org_statuses = {"Active"};
  s.config_types = {"Managed Server", "Managed Workstation", "Network Device", "Printer", "Firewall"};
  s.config_statuses = {"Active"};
  s.contacts_sync = true;
  s.two_way = true;
  s.default_account_manager = "John Smith";  // a resource of the Autotask emulator
  return s;
}

// One emulator, whichever PSA.
struct Emulator {
  std::unique_ptr<test::CwSim> cw;
  std::unique_ptr<test::AtSim> at;
  sim::SimServer& server() { return cw ? cw->server() : at->server(); }
  std::string url() const { return cw ? cw->base_url() : at->base_url() + "/atservicesrest/"; }
  test::SimReply admin(const std::string& m, const std::string& p, const std::string& b = "") {
    return cw ? cw->admin(m, p, b) : at->admin(m, p, b);
  }
};

class PushAllTest : public ::testing::TestWithParam<Backend> {
 protected:
  virtual std::string kind() const = 0;
  Emulator start_emulator(sim::World world, sim::autotask::Options at = {}) {
    Emulator e;
    if (kind() == "connectwise") e.cw = std::make_unique<test::CwSim>(std::move(world));
    else e.at = std::make_unique<test::AtSim>(at, std::move(world));
    return e;
  }
  // POSTs that create records (Autotask's queries are POSTs too, under …/query).
  std::vector<sim::LoggedWrite> creates(Emulator& e) {
    std::vector<sim::LoggedWrite> out;
    for (auto& w : e.server().requests().writes("POST"))
      if (w.target.find("/query") == std::string::npos) out.push_back(w);
    return out;
  }

  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    h = std::make_unique<test::SyncHarness>(GetParam());
  }

  // Cairn's documentation from a sync of `world`, then pointed at `psa` with nothing linked: the
  // partner's data as it was before adopting the PSA.
  void documentation_from(const sim::World& world, Emulator& psa) {
    auto source_psa = start_emulator(world);
    integration = h->create_integration(input(source_psa));
    ASSERT_EQ(h->sync(integration).state, "done");
    h->set_base_url(integration, psa.url());
    soci::session s(h->db().pool());
    s << "DELETE FROM psa_links";
  }
  store::IntegrationInput input(Emulator& e) {
    return kind() == "connectwise" ? test::connectwise_input(*e.cw, push_all_settings())
                                   : test::autotask_input(*e.at, push_all_settings());
  }

  sync::PushAllReport push_all(bool dry_run = false, sync::PushAllOptions options = {}) {
    auto source = sync::make_source(integration);
    options.dry_run = dry_run;
    return sync::run_push_all(h->db(), integration, *source, options);
  }
  long long count(const std::string& sql) { return h->count(sql); }
  std::int64_t id_of(const std::string& table, const std::string& name) {
    return std::stoll(h->text("SELECT CAST(id AS TEXT) FROM " + table + " WHERE name = '" + name + "'"));
  }
  std::int64_t insert(const std::string& type, const std::vector<std::pair<std::string, Value>>& values) {
    const auto& schema = core::entity(type);
    store::Changes changes;
    for (const auto& [name, v] : values) changes.emplace_back(schema.field(name), v);
    soci::session s(h->db().pool());
    return store::Records(s, h->db().dialect()).insert(schema, changes, "2026-01-01T00:00:00.000Z");
  }

  // What the PSA holds now, entity by entity, as Cairn's connector reads it.
  std::map<SyncEntity, std::vector<core::PsaRecord>> in_psa() {
    auto source = sync::make_source(integration);
    std::map<SyncEntity, std::vector<core::PsaRecord>> out;
    std::vector<std::string> companies;
    for (auto e : kEntities) {
      source->pull(e, "", companies, [&](const core::PsaRecord& r) {
        if (!r.deleted) out[e].push_back(r);
      });
      if (e == SyncEntity::Organization)
        for (const auto& r : out[e]) companies.push_back(r.psa_id);
    }
    return out;
  }
  // A PSA record's identity for "once": its company and the values its match key reads.
  static std::string identity(const core::PsaRecord& r) {
    std::string k;
    if (auto o = r.refs.find("organization_id"); o != r.refs.end()) k += o->second.psa_id + "|";
    for (const char* f : {"name", "first_name", "last_name", "address_1", "city", "serial_number"})
      if (auto v = r.fields.find(f); v != r.fields.end() && !v->second.is_null()) k += v->second.to_text() + "|";
    return k;
  }
  // Every link points at a PSA record that exists, and no PSA record Cairn links shares its
  // identity with another PSA record: each linked record is in the PSA exactly once.
  // Only the links of `only` ((entity, local id)) when given.
  void expect_each_linked_record_once_in_the_psa(const std::set<std::pair<std::string, std::int64_t>>& only = {}) {
    auto psa = in_psa();
    for (auto e : kEntities) {
      std::map<std::string, std::string> identity_of;  // psa id → identity
      std::multiset<std::string> identities;
      for (const auto& r : psa[e]) {
        identity_of[r.psa_id] = identity(r);
        identities.insert(identity(r));
      }
      soci::session s(h->db().pool());
      const std::string entity = core::link_entity(e);
      soci::rowset<soci::row> links =
          (s.prepare << "SELECT psa_id, CAST(local_id AS TEXT) FROM psa_links WHERE entity = :e", soci::use(entity));
      for (const auto& row : links) {
        const std::string psa_id = row.get<std::string>(0);
        if (!only.empty() && !only.count({entity, std::stoll(row.get<std::string>(1))})) continue;
        auto it = identity_of.find(psa_id);
        ASSERT_NE(it, identity_of.end()) << entity << " " << psa_id << " is linked but not in the PSA";
        EXPECT_EQ(identities.count(it->second), 1u) << entity << " " << it->second << " is in the PSA more than once";
      }
    }
  }
  long long records() {
    return count("SELECT (SELECT COUNT(*) FROM organizations) + (SELECT COUNT(*) FROM locations) + "
                 "(SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM configurations)");
  }

  // The shared scenario: one organization's tree unlinked (the PSA has it), three Cairn-only
  // records (pushed), three that must stay local (blank name, type not enabled, under it).
  void plan_then_run_then_rerun(bool plan_only = false) {
    auto psa = start_emulator(sim::make_demo_world(1));
    integration = h->create_integration(input(psa));
    ASSERT_EQ(h->sync(integration).state, "done");
    // The PSA has Contoso Holdings and everything under it; Cairn has them, not linked.
    const std::int64_t contoso = id_of("organizations", "Contoso Holdings");
    std::map<std::pair<std::string, std::int64_t>, std::string> were;  // (entity, local id) → PSA id
    {
      soci::session s(h->db().pool());
      const std::string o = std::to_string(contoso);
      soci::rowset<soci::row> rs =
          (s.prepare << "SELECT entity, CAST(local_id AS TEXT), psa_id FROM psa_links WHERE (entity = 'organization' AND "
                        "local_id = " + o + ") OR (entity = 'contact' AND local_id IN (SELECT id FROM contacts WHERE "
                        "organization_id = " + o + ")) OR (entity = 'configuration' AND local_id IN (SELECT id FROM "
                        "configurations WHERE organization_id = " + o + ")) OR (entity = 'location' AND local_id IN "
                        "(SELECT id FROM locations WHERE organization_id = " + o + "))");
      for (const auto& r : rs) were[{r.get<std::string>(0), std::stoll(r.get<std::string>(1))}] = r.get<std::string>(2);
      for (const auto& [key, psa_id] : were)
        s << "DELETE FROM psa_links WHERE entity = :e AND local_id = :l", soci::use(key.first), soci::use(key.second);
    }
    ASSERT_GE(were.size(), 3u);
    const std::int64_t customer = id_of("organization_types", "Customer"), prospect = id_of("organization_types", "Prospect");
    const std::int64_t active = id_of("organization_statuses", "Active"), server = id_of("configuration_types", "Managed Server");
    const std::int64_t config_active = id_of("configuration_statuses", "Active");
    // A product Autotask knows (any PSA's is fine for ConnectWise).
    const std::string model = h->text("SELECT CAST(MIN(model_id) AS TEXT) FROM configurations WHERE model_id IS NOT NULL");
    std::vector<std::pair<std::string, Value>> product;
    if (model != "(null)")
      product = {{"model_id", Value(static_cast<std::int64_t>(std::stoll(model)))},
                 {"manufacturer_id", Value(static_cast<std::int64_t>(std::stoll(
                                         h->text("SELECT CAST(manufacturer_id AS TEXT) FROM models WHERE id = " + model))))}};
    auto config_values = [&](std::int64_t org, const std::string& name) {
      std::vector<std::pair<std::string, Value>> v = {{"organization_id", Value(org)},
                                                      {"configuration_type_id", Value(server)},
                                                      {"configuration_status_id", Value(config_active)}};
      v.emplace_back("name", Value(name));
      v.insert(v.end(), product.begin(), product.end());
      return v;
    };
    const std::int64_t new_org = insert("organizations", {{"name", Value("Pushall New Co")}, {"short_name", Value("PANEWCO")},
                                                          {"organization_type_id", Value(customer)},
                                                          {"organization_status_id", Value(active)}});
    // Its primary location: pushed too, and (Autotask) the company's phone.
    const std::int64_t new_location = insert("locations", {{"organization_id", Value(new_org)}, {"name", Value("Pushall HQ")},
                                                           {"primary", Value(true)}, {"phone", Value("+15550142")},
                                                           {"city", Value("Leeds")}});
    const std::int64_t new_contact = insert("contacts", {{"organization_id", Value(new_org)}, {"first_name", Value("Ada")},
                                                         {"last_name", Value("Pushall")}});
    const std::int64_t new_config = insert("configurations", config_values(new_org, "pa-srv-1"));
    const std::int64_t blank = insert("configurations", config_values(contoso, "  "));
    const std::int64_t lead = insert("organizations", {{"name", Value("Pushall Lead")}, {"short_name", Value("PALEAD")},
                                                       {"organization_type_id", Value(prospect)},
                                                       {"organization_status_id", Value(active)}});
    const std::int64_t lead_contact = insert("contacts", {{"organization_id", Value(lead)}, {"first_name", Value("Lee")},
                                                          {"last_name", Value("Lead")}});
    const long long links_before = count("SELECT COUNT(*) FROM psa_links");
    psa.server().requests().reset();

    // The plan: reads only, writes nothing.
    auto plan = push_all(true);
    ASSERT_EQ(plan.state, "done") << plan.error.value_or("");
    std::map<std::pair<std::string, std::int64_t>, sync::PushAllAction> by;
    for (const auto& a : plan.actions) by[{core::link_entity(a.entity), a.local_id}] = a;
    auto action = [&](const std::string& entity, std::int64_t id) -> const sync::PushAllAction& { return by[{entity, id}]; };
    for (const auto& [key, psa_id] : were) {
      ASSERT_TRUE(by.count(key)) << key.first << " " << key.second;
      EXPECT_EQ(by[key].kind, sync::PushAllKind::Link) << key.first << " " << key.second << ": " << by[key].reason << " ("
                                                        << by[key].match_key << ")";
      EXPECT_EQ(by[key].psa_id, psa_id) << key.first << " " << key.second;
    }
    EXPECT_EQ(action("organization", new_org).kind, sync::PushAllKind::Create) << action("organization", new_org).reason;
    EXPECT_EQ(action("location", new_location).kind, sync::PushAllKind::Create) << action("location", new_location).reason;
    EXPECT_EQ(action("contact", new_contact).kind, sync::PushAllKind::Create);
    EXPECT_EQ(action("configuration", new_config).kind, sync::PushAllKind::Create) << action("configuration", new_config).reason;
    EXPECT_EQ(action("configuration", blank).kind, sync::PushAllKind::Skip);
    EXPECT_NE(action("configuration", blank).reason.find("name is blank"), std::string::npos);
    EXPECT_EQ(action("organization", lead).kind, sync::PushAllKind::Skip);
    EXPECT_NE(action("organization", lead).reason.find("\"Prospect\" is not enabled"), std::string::npos);
    EXPECT_EQ(action("contact", lead_contact).kind, sync::PushAllKind::Skip);
    EXPECT_EQ(plan.linked, static_cast<std::int64_t>(were.size()));
    EXPECT_EQ(plan.created, 4);
    EXPECT_EQ(plan.skipped, 3);
    EXPECT_EQ(creates(psa).size(), 0u);
    EXPECT_EQ(psa.server().requests().writes("PATCH").size() + psa.server().requests().writes("PUT").size(), 0u);
    EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links"), links_before);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sync_runs WHERE mode = 'push-all'"), 0);
    if (plan_only) return;

    // The run: the same decisions, written.
    auto run = push_all();
    ASSERT_EQ(run.state, "done") << run.error.value_or("");
    EXPECT_EQ(run.linked, static_cast<std::int64_t>(were.size()));
    EXPECT_EQ(run.created, 4);
    EXPECT_EQ(run.skipped, 3);
    EXPECT_EQ(run.failed, 0) << (run.actions.empty() ? "" : run.actions.front().reason);
    EXPECT_EQ(run.linked_earlier, links_before);
    EXPECT_EQ(creates(psa).size(), 4u);
    for (const auto& [key, psa_id] : were)
      EXPECT_EQ(h->text("SELECT psa_id FROM psa_links WHERE entity = '" + key.first + "' AND local_id = " +
                        std::to_string(key.second)),
                psa_id);
    for (const auto& [entity, id] : std::vector<std::pair<std::string, std::int64_t>>{
             {"organization", new_org}, {"location", new_location}, {"contact", new_contact}, {"configuration", new_config}})
      EXPECT_EQ(h->text("SELECT state FROM psa_links WHERE entity = '" + entity + "' AND local_id = " + std::to_string(id)),
                "syncing");
    for (const auto& [entity, id] : std::vector<std::pair<std::string, std::int64_t>>{
             {"configuration", blank}, {"organization", lead}, {"contact", lead_contact}})
      EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links WHERE entity = '" + entity + "' AND local_id = " + std::to_string(id)), 0)
          << entity << " " << id;
    EXPECT_EQ(count("SELECT COUNT(*) FROM sync_runs WHERE mode = 'push-all' AND state = 'done'"), 1);
    const std::string counts = h->text("SELECT counts FROM sync_runs WHERE id = " + std::to_string(run.run_id));
    EXPECT_NE(counts.find("\"created\":4"), std::string::npos) << counts;
    std::set<std::pair<std::string, std::int64_t>> pushed(
        {{"organization", new_org}, {"location", new_location}, {"contact", new_contact}, {"configuration", new_config}});
    for (const auto& [key, psa_id] : were) pushed.insert(key);
    expect_each_linked_record_once_in_the_psa(pushed);
    if (psa.at) {
      // Autotask's required company phone, and its address, are the primary location's.
      const std::string company =
          h->text("SELECT psa_id FROM psa_links WHERE entity = 'organization' AND local_id = " + std::to_string(new_org));
      const auto item = psa.at->get("/Companies/" + company).body["item"];
      EXPECT_EQ(item["phone"], "+15550142") << item.dump();
      EXPECT_EQ(item["city"], "Leeds") << item.dump();
    }

    // Run again: nothing to link, nothing to create.
    psa.server().requests().reset();
    auto again = push_all();
    ASSERT_EQ(again.state, "done");
    EXPECT_EQ(again.linked, 0);
    EXPECT_EQ(again.created, 0);
    EXPECT_EQ(again.skipped, 3);
    EXPECT_EQ(again.linked_earlier, links_before + static_cast<long long>(were.size()) + 4);
    EXPECT_EQ(creates(psa).size(), 0u);
    // And the next full sync finds everything pushed linked: no second copy in Cairn. (A new
    // ConnectWise company comes with a default site of its own, which the sync brings in.)
    const std::string cairn_copies = "SELECT (SELECT COUNT(*) FROM organizations) + (SELECT COUNT(*) FROM contacts) + "
                                     "(SELECT COUNT(*) FROM configurations)";
    const long long before = count(cairn_copies);
    ASSERT_EQ(h->sync(integration).state, "done");
    EXPECT_EQ(count(cairn_copies), before);
  }

  // The must-show case: SIGKILL part way, run again, every record once in the PSA and linked.
  void killed_part_way_then_run_again() {
    const sim::World world = sim::make_scale_world(250, 11);
    auto psa = start_emulator(sim::products_only(world));
    documentation_from(world, psa);
    const long long syncable = records();
    ASSERT_GT(syncable, 150);
    // Slow answers, so the kill lands part way.
    ASSERT_EQ(psa.admin("PUT", "/faults", R"({"latency_ms": 15})").status / 100, 2);
    {
      test::ChildProcess child({CAIRN_BINARY, "push-all", std::to_string(integration.id), "--rate", "0", "--db", h->tdb().spec()});
      ASSERT_TRUE(child.started());
      for (int i = 0; i < 600 && count("SELECT COUNT(*) FROM psa_links") < 60; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      child.signal_and_wait(SIGKILL);
    }
    // The killed run's row still claims the integration until its heartbeat is stale: a rerun
    // right away is refused, one after kPushAllStaleAfter (its heartbeat aged here, not waited for)
    // takes it over and marks it.
    const std::string killed = h->text("SELECT CAST(id AS TEXT) FROM sync_runs WHERE mode = 'push-all' AND state = 'running'");
    ASSERT_NE(killed, "(null)");
    auto refused = push_all();
    EXPECT_EQ(refused.state, "failed");
    EXPECT_NE(refused.error.value_or("").find("is running (run " + killed), std::string::npos) << refused.error.value_or("");
    {
      soci::session s(h->db().pool());
      const std::string stale = seconds_ago(static_cast<int>(sync::kPushAllStaleAfter.count()) + 1);
      s << "UPDATE sync_runs SET heartbeat_at = :h WHERE id = " + killed, soci::use(stale);
    }
    const long long linked_at_kill = count("SELECT COUNT(*) FROM psa_links");
    EXPECT_GE(linked_at_kill, 60);
    EXPECT_LT(linked_at_kill, syncable) << "the kill came after the end: nothing was interrupted";
    // A create the killed run had already sent may still be in the emulator's hands, its answer
    // held by the latency above: count once the emulator has finished what it received.
    size_t created_before_rerun = creates(psa).size();
    for (int i = 0; i < 40; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const size_t now = creates(psa).size();
      if (now == created_before_rerun) break;
      created_before_rerun = now;
    }
    ASSERT_EQ(psa.admin("PUT", "/faults", "{}").status / 100, 2);

    auto again = push_all();
    ASSERT_EQ(again.state, "done") << again.error.value_or("");
    EXPECT_EQ(again.failed, 0);
    EXPECT_EQ(again.skipped, 0) << (again.actions.empty() ? "" : again.actions.front().reason);
    EXPECT_EQ(again.linked_earlier, linked_at_kill);
    EXPECT_EQ(h->text("SELECT state FROM sync_runs WHERE id = " + killed), "failed");
    EXPECT_EQ(h->text("SELECT error FROM sync_runs WHERE id = " + killed), sync::kPushAllInterrupted);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sync_runs WHERE mode = 'push-all' AND state = 'running'"), 0);
    // Every record is linked, and the PSA got one create per record over both runs, but for
    // Autotask's own company (id 0, the MSP), which every Autotask database has: linked by name.
    const long long in_psa_already =
        psa.at ? count("SELECT COUNT(*) FROM organizations WHERE name = '" + sim::autotask::Options{}.own_company_name + "'") : 0;
    EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links"), syncable);
    EXPECT_EQ(static_cast<long long>(creates(psa).size()), syncable - in_psa_already);
    EXPECT_EQ(static_cast<long long>(created_before_rerun) + again.created, syncable - in_psa_already);
    expect_each_linked_record_once_in_the_psa();
    // Besides the product holder and what it holds, the PSA holds exactly Cairn's records.
    auto psa_now = in_psa();
    std::string holder;
    for (const auto& r : psa_now[SyncEntity::Organization])
      if (r.fields.count("name") && r.fields.at("name") == Value("Product Holder Co")) holder = r.psa_id;
    std::map<SyncEntity, long long> cairns;
    for (auto e : kEntities)
      for (const auto& r : psa_now[e]) {
        auto org = r.refs.find("organization_id");
        const bool holders = r.psa_id == holder && e == SyncEntity::Organization;
        if (!holders && (org == r.refs.end() || org->second.psa_id != holder)) ++cairns[e];
      }
    EXPECT_EQ(cairns[SyncEntity::Organization], count("SELECT COUNT(*) FROM organizations"));
    EXPECT_EQ(cairns[SyncEntity::Contact], count("SELECT COUNT(*) FROM contacts"));
    EXPECT_EQ(cairns[SyncEntity::Configuration], count("SELECT COUNT(*) FROM configurations"));
    // A new ConnectWise company comes with a default site of its own: at least Cairn's sites.
    EXPECT_GE(cairns[SyncEntity::Location], count("SELECT COUNT(*) FROM locations"));
  }

  // A push-all row as another process running one leaves it: running, with its heartbeat.
  static std::int64_t insert_running_push_all(store::Database& db, std::int64_t integration_id, const std::string& heartbeat) {
    soci::session s(db.pool());
    long long id = 0;
    const std::string started = "2026-01-01T00:00:00.000Z";
    s << "INSERT INTO sync_runs (integration_id, mode, state, started_at, heartbeat_at) VALUES (:i, 'push-all', 'running', "
         ":s, :h) RETURNING id",
        soci::use(integration_id), soci::use(started), soci::use(heartbeat), soci::into(id);
    return id;
  }
  static std::string seconds_ago(int seconds) { return core::rfc3339(core::Clock::now() - std::chrono::seconds(seconds)); }

  std::unique_ptr<test::SyncHarness> h;
  store::Integration integration;
};

// ---------------------------------------------------------------------------------------------
class PushAllConnectWise : public PushAllTest {
 protected:
  std::string kind() const override { return "connectwise"; }
};

TEST_P(PushAllConnectWise, D17_PlanShowsLinkCreateSkip_RunLinksAndCreatesOnce_RerunChangesNothing) {
  plan_then_run_then_rerun();
}

TEST_P(PushAllConnectWise, D17_KilledWithSigkillPartWayThenRunAgain_EveryRecordOnceInThePsaAndLinked) {
  killed_part_way_then_run_again();
}

TEST_P(PushAllConnectWise, D17_OnePushAllAtATime_ALiveRunElsewhereRefuses_AStaleOneIsTakenOverAndMarked) {
  auto psa = start_emulator(sim::make_demo_world(1));
  integration = h->create_integration(input(psa));
  ASSERT_EQ(h->sync(integration).state, "done");
  // Another process's run, alive: written through a connection of its own.
  auto elsewhere = h->tdb().open_another(1);
  const std::int64_t live = insert_running_push_all(*elsewhere, integration.id, seconds_ago(1));
  auto refused = push_all();
  EXPECT_EQ(refused.state, "failed");
  EXPECT_NE(refused.error.value_or("").find("is running (run " + std::to_string(live)), std::string::npos)
      << refused.error.value_or("");
  auto cli = test::run_cairn({"push-all", std::to_string(integration.id), "--db", h->tdb().spec()},
                             {std::string("CAIRN_MASTER_KEY=") + test::kTestMasterKey});
  EXPECT_EQ(cli.code, 1) << cli.out << cli.err;
  EXPECT_NE(cli.err.find("push-all refused: a push-all of integration " + std::to_string(integration.id) + " is running"),
            std::string::npos)
      << cli.err;
  EXPECT_EQ(count("SELECT COUNT(*) FROM sync_runs WHERE mode = 'push-all'"), 1);
  EXPECT_EQ(h->text("SELECT state FROM sync_runs WHERE id = " + std::to_string(live)), "running");

  // Its heartbeat goes stale (the process stopped): the next start marks it and runs.
  const std::string last_beat = seconds_ago(static_cast<int>(sync::kPushAllStaleAfter.count()) + 1);
  {
    soci::session s(elsewhere->pool());
    s << "UPDATE sync_runs SET heartbeat_at = :h WHERE id = :id", soci::use(last_beat), soci::use(live);
  }
  auto run = push_all();
  ASSERT_EQ(run.state, "done") << run.error.value_or("");
  EXPECT_NE(run.run_id, live);
  const std::string old_row = " FROM sync_runs WHERE id = " + std::to_string(live);
  EXPECT_EQ(h->text("SELECT state" + old_row), "failed");
  EXPECT_EQ(h->text("SELECT error" + old_row), sync::kPushAllInterrupted);
  EXPECT_EQ(h->text("SELECT finished_at" + old_row), last_beat);  // its last sign of life
  EXPECT_EQ(h->text("SELECT state FROM sync_runs WHERE id = " + std::to_string(run.run_id)), "done");
  EXPECT_NE(h->text("SELECT heartbeat_at FROM sync_runs WHERE id = " + std::to_string(run.run_id)), "(null)");
  // And the CLI takes over a stale one as well.
  const std::int64_t stale = insert_running_push_all(*elsewhere, integration.id, last_beat);
  cli = test::run_cairn({"push-all", std::to_string(integration.id), "--db", h->tdb().spec()},
                        {std::string("CAIRN_MASTER_KEY=") + test::kTestMasterKey});
  EXPECT_EQ(cli.code, 0) << cli.out << cli.err;
  EXPECT_EQ(h->text("SELECT error FROM sync_runs WHERE id = " + std::to_string(stale)), sync::kPushAllInterrupted);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sync_runs WHERE mode = 'push-all' AND state = 'running'"), 0);
}

TEST_P(PushAllConnectWise, D17_ARunWhoseClaimWasTakenOver_StopsBeforeItsNextCreate) {
  const sim::World world = sim::make_scale_world(20, 5);
  auto psa = start_emulator(sim::products_only(world));
  documentation_from(world, psa);
  // One create a second on the run's clock; the first wait is where the run's process "stalls"
  // past the staleness, and another start marks its row (as start_push_all_run does).
  sync::PushAllOptions o;
  o.creates_per_second = 1;
  auto now = std::chrono::system_clock::now();
  o.clock.now = [&] { return now; };
  bool stalled = false;
  o.clock.sleep_until = [&](std::chrono::system_clock::time_point t) {
    now = std::max(now, t);
    if (stalled) return;
    stalled = true;
    soci::session s(h->db().pool());
    const std::string error = sync::kPushAllInterrupted;
    s << "UPDATE sync_runs SET state = 'failed', error = :e WHERE mode = 'push-all' AND state = 'running'", soci::use(error);
    std::this_thread::sleep_for(sync::kPushAllHeartbeat + std::chrono::seconds(2));  // a beat finds it taken
  };
  auto report = push_all(false, o);
  EXPECT_EQ(report.state, "failed");
  EXPECT_NE(report.error.value_or("").find("another push-all took this integration over"), std::string::npos)
      << report.error.value_or("");
  EXPECT_EQ(report.created, 1);
  EXPECT_EQ(creates(psa).size(), 1u);
}

TEST_P(PushAllConnectWise, D16_RecordWithASavesCreateQueued_IsLeftToThePusher_CreatedOnce) {
  auto psa = start_emulator(sim::make_demo_world(1));
  integration = h->create_integration(input(psa));
  ASSERT_EQ(h->sync(integration).state, "done");
  const std::int64_t org = std::stoll(h->text("SELECT CAST(MIN(local_id) AS TEXT) FROM psa_links WHERE entity = 'organization'"));
  // A person saved a new contact: its create is queued, the pusher has not run yet.
  const std::int64_t saved = insert("contacts", {{"organization_id", Value(org)}, {"first_name", Value("Queued")},
                                                 {"last_name", Value("Create")}});
  {
    soci::session s(h->db().pool());
    store::Transaction tx(s, h->db().dialect());
    ASSERT_TRUE(sync::queue_create(s, h->db().dialect(), core::entity("contacts"), saved, false));
    tx.commit();
  }
  psa.server().requests().reset();
  auto run = push_all();
  ASSERT_EQ(run.state, "done") << run.error.value_or("");
  auto it = std::find_if(run.actions.begin(), run.actions.end(), [&](const sync::PushAllAction& a) {
    return a.entity == SyncEntity::Contact && a.local_id == saved;
  });
  ASSERT_NE(it, run.actions.end());
  EXPECT_EQ(it->kind, sync::PushAllKind::Skip);
  EXPECT_EQ(it->reason, "a create is already queued for it (cairn outbox list)");
  EXPECT_EQ(creates(psa).size(), 0u);
  // The pusher sends it, once; the next push-all has nothing left to do for it.
  sync::Pusher pusher(h->db());
  EXPECT_EQ(pusher.run_due(), 1);
  EXPECT_EQ(h->text("SELECT state FROM outbox WHERE entity = 'contact' AND local_id = " + std::to_string(saved)), "pushed");
  EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links WHERE entity = 'contact' AND local_id = " + std::to_string(saved)), 1);
  auto again = push_all();
  ASSERT_EQ(again.state, "done") << again.error.value_or("");
  EXPECT_EQ(creates(psa).size(), 1u);
}

TEST_P(PushAllConnectWise, D13_RefusedWhenTwoWayIsOff) {
  auto psa = start_emulator(sim::make_demo_world(1));
  auto in = input(psa);
  in.settings->two_way = false;
  integration = h->create_integration(in);
  auto report = push_all(true);
  EXPECT_EQ(report.state, "failed");
  ASSERT_TRUE(report.error);
  EXPECT_NE(report.error->find("two-way sync is off"), std::string::npos) << *report.error;
  EXPECT_EQ(psa.server().requests().writes().size(), 0u);
}

TEST_P(PushAllConnectWise, D19_ConfiguredRateIsKept_WaitingOnTheRunsClock) {
  const sim::World world = sim::make_scale_world(50, 3);
  auto psa = start_emulator(sim::products_only(world));
  documentation_from(world, psa);
  auto now = std::chrono::system_clock::now();
  sync::PushAllOptions o;
  o.creates_per_second = 2;
  o.clock.now = [&] { return now; };
  o.clock.sleep_until = [&](std::chrono::system_clock::time_point t) { now = std::max(now, t); };
  auto report = push_all(false, o);
  ASSERT_EQ(report.state, "done") << report.error.value_or("");
  ASSERT_GT(report.created, 10);
  // n creates at 2 a second take (n - 1) / 2 seconds of the run's clock, and no less.
  EXPECT_GE(report.seconds, (static_cast<double>(report.created) - 1) / 2 - 0.01);
  EXPECT_LE(report.seconds, static_cast<double>(report.created) / 2 + 0.01);
}


TEST_P(PushAllConnectWise, Api_StartsInTheBackground_409WhileRunning_ProgressInTheSyncRun) {
  const sim::World world = sim::make_scale_world(50, 3);
  auto psa = start_emulator(sim::products_only(world));
  auto api = std::make_unique<test::ApiHarness>(GetParam());
  {
    auto source_psa = start_emulator(world);
    integration = h->create_integration(input(source_psa), &api->db());
    auto source = sync::make_source(integration);
    ASSERT_EQ(sync::run_sync(api->db(), integration, *source, {}).state, "done");
    soci::session s(api->db().pool());
    s << "DELETE FROM psa_links";
    const std::string url = psa.url();  // named: soci keeps a pointer until the statement runs
    s << "UPDATE integrations SET base_url = :u", soci::use(url);
  }
  ASSERT_EQ(psa.admin("PUT", "/faults", R"({"latency_ms": 10})").status / 100, 2);
  const std::string path = "/integrations/" + std::to_string(integration.id) + "/actions/push-all";
  auto started = api->post(path, nlohmann::json::object());
  ASSERT_EQ(started.status, 202) << started.raw;
  const std::string run = started.body["data"]["id"].get<std::string>();
  EXPECT_EQ(started.body["data"]["links"]["self"], "/sync_runs/" + run);
  auto second = api->post(path, nlohmann::json::object());
  EXPECT_EQ(second.status, 409) << second.raw;
  nlohmann::json attributes;
  for (int i = 0; i < 1200; ++i) {
    attributes = api->get("/sync_runs/" + run).body["data"]["attributes"];
    if (attributes["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(attributes["state"], "done") << attributes.dump();
  EXPECT_EQ(attributes["mode"], "push-all");
  auto counts = nlohmann::json::parse(attributes["counts"].get<std::string>());
  EXPECT_GT(counts["push_all"]["created"].get<long>(), 0);
  EXPECT_EQ(counts["push_all"]["done"], counts["push_all"]["total"]);
  EXPECT_EQ(counts["push_all"]["failed"], 0);
  EXPECT_EQ(test::SyncHarness::count(api->db(), "SELECT COUNT(*) FROM psa_links"), counts["push_all"]["created"].get<long>());
  // A push-all alive in another process (its row, written directly) is refused too; once its
  // heartbeat is stale, a start takes it over and the old run reads as interrupted.
  const std::int64_t elsewhere = insert_running_push_all(api->db(), integration.id, seconds_ago(1));
  auto busy = api->post(path, nlohmann::json::object());
  EXPECT_EQ(busy.status, 409) << busy.raw;
  EXPECT_NE(busy.raw.find("run " + std::to_string(elsewhere)), std::string::npos) << busy.raw;
  {
    soci::session s(api->db().pool());
    const std::string stale = seconds_ago(static_cast<int>(sync::kPushAllStaleAfter.count()) + 1);
    s << "UPDATE sync_runs SET heartbeat_at = :h WHERE id = :id", soci::use(stale), soci::use(elsewhere);
  }
  auto takeover = api->post(path, nlohmann::json::object());
  ASSERT_EQ(takeover.status, 202) << takeover.raw;
  auto old_run = api->get("/sync_runs/" + std::to_string(elsewhere)).body["data"]["attributes"];
  EXPECT_EQ(old_run["state"], "failed") << old_run.dump();
  EXPECT_EQ(old_run["error"], sync::kPushAllInterrupted) << old_run.dump();
  const std::string second_run = takeover.body["data"]["id"].get<std::string>();
  for (int i = 0; i < 1200; ++i) {
    attributes = api->get("/sync_runs/" + second_run).body["data"]["attributes"];
    if (attributes["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(attributes["state"], "done") << attributes.dump();
  // Two-way off: refused, with the reason.
  auto off = api->patch("/integrations/" + std::to_string(integration.id),
                        {{"data", {{"type", "integrations"}, {"attributes", {{"settings", {{"two-way", false}}}}}}}});
  ASSERT_EQ(off.status, 200) << off.raw;
  auto refused = api->post(path, nlohmann::json::object());
  EXPECT_EQ(refused.status, 422) << refused.raw;
  EXPECT_NE(refused.raw.find("two-way sync is off"), std::string::npos) << refused.raw;
}

INSTANTIATE_TEST_SUITE_P(Backends, PushAllConnectWise, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

// ---------------------------------------------------------------------------------------------
class PushAllAutotask : public PushAllTest {
 protected:
  std::string kind() const override { return "autotask"; }
};

TEST_P(PushAllAutotask, D17_PlanShowsLinkCreateSkip_ReadsOnlyAndWritesNothing) { plan_then_run_then_rerun(true); }

TEST_P(PushAllAutotask, D17_PlanShowsLinkCreateSkip_RunLinksAndCreatesOnce_RerunChangesNothing) {
  plan_then_run_then_rerun();
}

TEST_P(PushAllAutotask, D17_KilledWithSigkillPartWayThenRunAgain_EveryRecordOnceInThePsaAndLinked) {
  killed_part_way_then_run_again();
}

TEST_P(PushAllAutotask, D19_BudgetSpent_RunWaitsForTheHourToRoll_NeverMeetsA429) {
  const sim::World world = sim::make_scale_world(50, 3);
  sim::autotask::Options small;
  small.hourly_request_limit = 60;  // D19: Cairn may spend 29 of them an hour
  small.threshold_latency_ms = 0;
  auto psa = start_emulator(sim::products_only(world), small);
  documentation_from(world, psa);
  const long long syncable = records();
  auto now = std::chrono::system_clock::now();
  std::vector<std::string> notices;
  sync::PushAllOptions o;
  o.clock.now = [&] { return now; };
  o.clock.sleep_until = [&](std::chrono::system_clock::time_point t) {
    // The emulator's hour moves on with the run's clock.
    psa.server().emulator().clock().advance(std::chrono::duration_cast<std::chrono::seconds>(t - now).count() + 1);
    now = t;
  };
  o.notice = [&](const std::string& n) { notices.push_back(n); };
  auto report = push_all(false, o);
  ASSERT_EQ(report.state, "done") << report.error.value_or("");
  EXPECT_EQ(report.failed, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM psa_links"), syncable);
  EXPECT_GT(report.waits, 0);
  ASSERT_FALSE(notices.empty());
  EXPECT_NE(notices[0].find("hourly request budget"), std::string::npos) << notices[0];
  EXPECT_NE(notices[0].find("until"), std::string::npos) << notices[0];
  // Never more than Cairn's half (30) in any hour of the run's clock: each wait is an hour.
  EXPECT_LE(report.requests, 30 * (report.waits + 1));
  EXPECT_GE(report.seconds, 3600.0 * report.waits);
  for (const auto& w : psa.server().requests().writes()) EXPECT_NE(w.status, 429) << w.target;
}

INSTANTIATE_TEST_SUITE_P(Backends, PushAllAutotask, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
