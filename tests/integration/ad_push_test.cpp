// Contacts from Active Directory pushed to the PSA (issue 7 item 3, reference §4, R15, R16, D23):
// a real slapd, the ConnectWise and Autotask emulators in-process, SQLite and PostgreSQL. A
// qualifying contact reaches the PSA with its email and phone of the chosen types and shows the
// PSA badge; a non-qualifying one stays local with the reason; a re-import queues nothing new.
// Also the import log (item 4) and the schedule in `cairn serve`'s scheduler.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <set>
#include <thread>

#include "integration/sim_harness.h"
#include "integration/sync_harness.h"
#include "psa/autotask/source.h"
#include "psa/connectwise/source.h"
#include "store/directory_sources.h"
#include "store/integrations.h"
#include "store/secrets.h"
#include "support/api_harness.h"
#include "support/slapd_server.h"
#include "sync/ad_import.h"
#include "sync/engine.h"
#include "sync/pusher.h"
#include "sync/scheduler.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;
using test::SeedUser;
using test::SlapdServer;

namespace {

// A name the emulators' demo data does not hold, so the user creates a contact.
SeedUser jane(const std::string& title = "Controller") {
  SeedUser u;
  u.account_name = "jdoe";
  u.first = "Jane";
  u.last = "Quillfeather";
  u.mail = "jane.quillfeather@example.com";
  u.telephone = "+1 555 010 0001";
  u.mobile = "+1 555 010 0002";
  u.title = title;
  return u;
}

core::SyncSettings settings_with(bool two_way, const std::string& email_type, const std::string& phone_type) {
  core::SyncSettings s;
  s.org_types = {"Customer"};
  s.org_statuses = {"Active"};
  s.config_types = {"Managed Server", "Managed Workstation", "Firewall"};
  s.config_statuses = {"Active"};
  s.contacts_sync = true;
  s.two_way = two_way;
  s.two_way_email_type = email_type;
  s.two_way_phone_type = phone_type;
  return s;
}

// Cairn's API over a test database, an integration of an emulator synced once (so organizations
// are linked), slapd, and a directory source on the first linked organization.
class AdPushTest : public ::testing::TestWithParam<Backend> {
 protected:
  void start(const store::IntegrationInput& in) {
    setenv("CAIRN_MASTER_KEY", test::kTestMasterKey, 1);
    api = std::make_unique<test::ApiHarness>(GetParam());
    auto key = store::master_key_for(api->db());
    ASSERT_TRUE(key.ok()) << key.error().detail;
    {
      soci::session s(api->db().pool());
      auto created = store::Integrations(s, api->db().dialect(), key.value()).create(in, {"test", std::nullopt}, "");
      ASSERT_TRUE(created.ok()) << created.error().detail;
      integration = created.value();
    }
    auto src = source();
    ASSERT_EQ(sync::run_sync(api->db(), integration, *src, {}).state, "done");
    try {
      ldap = std::make_unique<SlapdServer>();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    org = std::stoll(text("SELECT CAST(MIN(local_id) AS TEXT) FROM psa_links WHERE entity = 'organization' AND state = 'syncing'"));
    company = text("SELECT psa_id FROM psa_links WHERE entity = 'organization' AND local_id = " + std::to_string(org));
  }
  void TearDown() override { unsetenv("CAIRN_MASTER_KEY"); }
  virtual std::unique_ptr<psa::Source> source() = 0;

  // A directory source on the linked organization, through the store; returns it.
  store::DirectorySource add_source(const std::string& password = SlapdServer::kRootPassword, int schedule_hours = 24) {
    auto key = store::master_key_for(api->db());
    soci::session s(api->db().pool());
    store::Transaction tx(s, api->db().dialect());
    store::DirectorySourceInput in;
    in.organization_id = org;
    in.name = "AD";
    in.url = ldap->url();
    in.bind_dn = SlapdServer::kRootDn;
    in.password = password;
    in.base_dn = SlapdServer::kSuffix;
    in.schedule_hours = schedule_hours;
    auto made = store::DirectorySources(s, api->db().dialect(), key.value()).create(in, {"test", std::nullopt});
    EXPECT_TRUE(made.ok()) << made.error().detail;
    tx.commit();
    return made.value();
  }
  sync::AdImportResult import(const store::DirectorySource& d) {
    auto r = sync::run_ad_import(api->db(), d, {});
    EXPECT_TRUE(r.ok()) << r.error().detail;
    return r.ok() ? r.value() : sync::AdImportResult{};
  }
  std::string text(const std::string& sql) {
    auto v = test::SyncHarness::text(api->db(), sql);
    return v == "(null)" ? "" : v;
  }
  long long count(const std::string& sql) { return test::SyncHarness::count(api->db(), sql); }
  std::string jane_id() {
    return text("SELECT CAST(c.id AS TEXT) FROM contacts c JOIN contact_emails e ON e.contact_id = c.id "
                "WHERE e.value = 'jane.quillfeather@example.com'");
  }
  json contact(const std::string& id) {
    auto r = api->get("/contacts/" + id);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body["data"]["attributes"];
  }

  std::unique_ptr<test::ApiHarness> api;
  std::unique_ptr<SlapdServer> ldap;
  store::Integration integration;
  std::int64_t org = 0;
  std::string company;
  sync::PusherOptions options;
};

json item_of_kind(const json& contact, const std::string& kind) {
  for (const auto& item : contact.value("communicationItems", json::array()))
    if (item.value("communicationType", "") == kind) return item;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
class AdPushConnectWise : public AdPushTest {
 protected:
  void begin(const core::SyncSettings& settings) {
    sim = std::make_unique<test::CwSim>();
    start(test::connectwise_input(*sim, settings));
    sim->server().requests().reset();
  }
  std::unique_ptr<psa::Source> source() override {
    return std::make_unique<psa::connectwise::Source>(
        integration.base_url, psa::connectwise::Credentials{sim->options().company_id, sim->options().public_key,
                                                            sim->options().private_key, sim->options().client_id});
  }
  std::unique_ptr<test::CwSim> sim;
};

TEST_P(AdPushConnectWise, D23_QualifyingContactReachesThePsaWithItsTypedEmailAndPhone_AndShowsTheBadge) {
  CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
  begin(settings_with(true, "Email", "Direct"));
  ldap->add_users({jane()});
  const auto d = add_source();
  auto first = import(d);
  EXPECT_EQ(first.created, 1);
  EXPECT_EQ(first.push_creates, 1);
  EXPECT_EQ(first.not_pushed, 0);
  const std::string id = jane_id();
  ASSERT_FALSE(id.empty());
  auto before = contact(id);
  EXPECT_EQ(before["psa-push-state"], "pending");
  EXPECT_EQ(before["psa-badge"], false);

  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  auto a = contact(id);
  ASSERT_EQ(a["psa-push-state"], "pushed") << a.dump();
  EXPECT_EQ(a["psa-badge"], true);
  const std::string psa_id = a["psa-id"];
  auto in_psa = sim->get("/company/contacts/" + psa_id).body;
  EXPECT_EQ(in_psa["firstName"], "Jane");
  EXPECT_EQ(in_psa["lastName"], "Quillfeather");
  EXPECT_EQ(in_psa["title"], "Controller");
  EXPECT_EQ(std::to_string(in_psa["company"]["id"].get<std::int64_t>()), company);
  auto email = item_of_kind(in_psa, "Email"), phone = item_of_kind(in_psa, "Phone");
  ASSERT_TRUE(email.is_object()) << in_psa.dump();
  EXPECT_EQ(email["value"], "jane.quillfeather@example.com");
  EXPECT_EQ(email["type"]["name"], "Email");
  ASSERT_TRUE(phone.is_object()) << in_psa.dump();
  EXPECT_EQ(phone["value"], "+15550100001");  // the primary phone: telephoneNumber
  EXPECT_EQ(phone["type"]["name"], "Direct");
  EXPECT_EQ(sim->server().requests().writes("POST", "").size(), 1u);

  // The same directory again: no new outbox row, no second contact in the PSA.
  const auto rows = count("SELECT COUNT(*) FROM outbox");
  auto again = import(d);
  EXPECT_EQ(again.enriched, 1);
  EXPECT_EQ(again.push_creates + again.push_updates + again.not_pushed, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), rows);
  EXPECT_EQ(pusher.run_due(), 0);
  EXPECT_EQ(sim->server().requests().writes("POST", "").size(), 1u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts WHERE last_name = 'Quillfeather'"), 1);
}

TEST_P(AdPushConnectWise, D14_AnEnrichmentOfALinkedContactPushesOnlyTheFieldItFilled) {
  CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
  begin(settings_with(true, "Email", "Direct"));
  ldap->add_users({jane("")});
  const auto d = add_source();
  import(d);
  sync::Pusher pusher(api->db(), options);
  ASSERT_EQ(pusher.run_due(), 1);
  const std::string id = jane_id();
  const std::string psa_id = contact(id)["psa-id"];
  // The directory now has a title; the contact has none, so enrichment fills it (never overwrites).
  ldap->add("dn: CN=jdoe," + std::string(SlapdServer::kUsersOu) + "\nchangetype: modify\nreplace: title\ntitle: CFO\n");
  sim->server().requests().reset();
  auto again = import(d);
  EXPECT_EQ(again.push_updates, 1);
  EXPECT_EQ(pusher.run_due(), 1);
  auto patches = sim->server().requests().writes("PATCH");
  ASSERT_EQ(patches.size(), 1u);
  EXPECT_EQ(json::parse(patches[0].body), json::parse(R"([{"op":"replace","path":"title","value":"CFO"}])"));
  EXPECT_EQ(sim->get("/company/contacts/" + psa_id).body["title"], "CFO");
  EXPECT_EQ(contact(id)["psa-push-state"], "pushed");
}

TEST_P(AdPushConnectWise, R16_NoTypesChosen_AdLabelsDoNotQualify_TheContactStaysLocalWithTheReason) {
  CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
  begin(settings_with(true, "", ""));
  ldap->add_users({jane()});
  const auto d = add_source();
  auto first = import(d);
  EXPECT_EQ(first.not_pushed, 1);
  const std::string id = jane_id();
  auto a = contact(id);
  EXPECT_EQ(a["contact-emails"][0]["label-name"], "AD Email");
  EXPECT_EQ(a["psa-push-state"], "not-pushed");
  EXPECT_EQ(a["psa-push-error"], "not pushed to ConnectWise Manage: the two-way settings name no PSA email type");
  EXPECT_EQ(a["psa-badge"], false);
  EXPECT_TRUE(a["psa-id"].is_null());
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 0);
  EXPECT_TRUE(sim->server().requests().writes("POST").empty());
  const auto rows = count("SELECT COUNT(*) FROM outbox");
  const auto max_id = text("SELECT CAST(MAX(id) AS TEXT) FROM outbox");
  import(d);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), rows);
  EXPECT_EQ(text("SELECT CAST(MAX(id) AS TEXT) FROM outbox"), max_id) << "a re-import writes no new row";
}

TEST_P(AdPushConnectWise, D13_TwoWayOff_TheContactStaysLocalWithTheReason) {
  CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
  begin(settings_with(false, "Email", "Direct"));
  ldap->add_users({jane()});
  import(add_source());
  auto a = contact(jane_id());
  EXPECT_EQ(a["contact-emails"][0]["label-name"], "Email");
  EXPECT_EQ(a["psa-push-state"], "not-pushed");
  EXPECT_EQ(a["psa-push-error"], "not pushed to ConnectWise Manage: two-way sync is off");
  EXPECT_EQ(a["psa-badge"], false);
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 0);
  EXPECT_TRUE(sim->server().requests().writes("POST").empty());
}

TEST_P(AdPushConnectWise, ImportLog_AWrongPasswordIsAFailedRunWithItsMessage_AndWritesNothingElse) {
  CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
  begin(settings_with(true, "Email", "Direct"));
  ldap->add_users({jane()});
  const auto bad = add_source("not-the-password");
  const auto contacts = count("SELECT COUNT(*) FROM contacts");
  const auto outbox = count("SELECT COUNT(*) FROM outbox");
  auto r = sync::run_ad_import(api->db(), bad, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("refused the bind DN or password"), std::string::npos) << r.error().detail;
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts"), contacts);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), outbox);

  auto shown = api->get("/directory_sources/" + std::to_string(bad.id));
  ASSERT_EQ(shown.status, 200) << shown.raw;
  const auto& attrs = shown.body["data"]["attributes"];
  EXPECT_EQ(attrs["last-import-state"], "failed");
  EXPECT_NE(attrs["last-import-error"].get<std::string>().find("refused the bind DN or password"), std::string::npos);
  EXPECT_EQ(shown.raw.find("not-the-password"), std::string::npos) << "the password is never shown";
  const std::string runs_link = shown.body["data"]["links"]["import-runs"];
  auto runs = api->get(runs_link);
  ASSERT_EQ(runs.status, 200) << runs.raw;
  ASSERT_EQ(runs.body["data"].size(), 1u) << runs.raw;
  EXPECT_EQ(runs.body["data"][0]["attributes"]["state"], "failed");
  EXPECT_EQ(runs.body["data"][0]["attributes"]["started-by"], "command");
  EXPECT_NE(runs.body["data"][0]["attributes"]["error"].get<std::string>().find("refused the bind DN or password"),
            std::string::npos);

  // A good import is logged too, with its counts, newest first.
  const auto good = add_source();
  import(good);
  auto listed = api->get("/directory_import_runs?sort=-id");
  ASSERT_EQ(listed.status, 200) << listed.raw;
  ASSERT_EQ(listed.body["data"].size(), 2u) << listed.raw;
  const auto& done = listed.body["data"][0]["attributes"];
  EXPECT_EQ(done["state"], "done");
  EXPECT_TRUE(done["error"].is_null());
  auto counts = json::parse(done["counts"].get<std::string>());
  EXPECT_EQ(counts["created"], 1);
  EXPECT_EQ(counts["push-creates"], 1);
  auto good_shown = api->get("/directory_sources/" + std::to_string(good.id)).body["data"]["attributes"];
  EXPECT_EQ(good_shown["last-import-state"], "done");
  EXPECT_EQ(good_shown["last-import-counts"]["users"], 1);
}

TEST_P(AdPushConnectWise, Schedule_TheServeSchedulerRunsADueImport) {
  CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
  begin(settings_with(true, "Email", "Direct"));
  ldap->add_users({jane()});
  const auto due = add_source(SlapdServer::kRootPassword, 24);
  add_source(SlapdServer::kRootPassword, 0);  // imports only when asked: never scheduled
  sync::Scheduler scheduler(api->db(), std::chrono::milliseconds(50), true);
  scheduler.start();
  for (int i = 0; i < 400 && count("SELECT COUNT(*) FROM directory_import_runs") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  scheduler.stop();
  ASSERT_EQ(count("SELECT COUNT(*) FROM directory_import_runs"), 1);
  EXPECT_EQ(text("SELECT CAST(directory_source_id AS TEXT) FROM directory_import_runs"), std::to_string(due.id));
  EXPECT_EQ(text("SELECT started_by FROM directory_import_runs"), "schedule");
  EXPECT_EQ(text("SELECT state FROM directory_import_runs"), "done");
  EXPECT_FALSE(jane_id().empty());
  // Done a moment ago: not due again for 24 hours.
  EXPECT_EQ(scheduler.run_due_imports(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdPushConnectWise, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

// ---------------------------------------------------------------------------------------------
class AdPushAutotask : public AdPushTest {
 protected:
  void begin(const core::SyncSettings& settings) {
    sim = std::make_unique<test::AtSim>();
    start(test::autotask_input(*sim, settings));
    sim->server().requests().reset();
  }
  std::unique_ptr<psa::Source> source() override {
    return std::make_unique<psa::autotask::Source>(
        sim->base_url() + "/atservicesrest/",
        psa::autotask::Credentials{sim->options().username, sim->options().secret, sim->options().integration_code});
  }
  std::unique_ptr<test::AtSim> sim;
};

TEST_P(AdPushAutotask, D23_QualifyingContactReachesThePsaWithItsEmailAndPhone_AndShowsTheBadge) {
  CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
  begin(settings_with(true, "Work", "Work"));
  ldap->add_users({jane()});
  const auto d = add_source();
  EXPECT_EQ(import(d).push_creates, 1);
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 1);
  const std::string id = jane_id();
  auto a = contact(id);
  ASSERT_EQ(a["psa-push-state"], "pushed") << a.dump();
  EXPECT_EQ(a["psa-badge"], true);
  auto in_psa = sim->get("/Contacts/" + a["psa-id"].get<std::string>()).body["item"];
  EXPECT_EQ(in_psa["firstName"], "Jane");
  EXPECT_EQ(in_psa["emailAddress"], "jane.quillfeather@example.com");
  EXPECT_EQ(in_psa["phone"], "+15550100001");
  EXPECT_EQ(std::to_string(in_psa["companyID"].get<std::int64_t>()), company);
  const auto rows = count("SELECT COUNT(*) FROM outbox");
  import(d);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), rows);
  EXPECT_EQ(pusher.run_due(), 0);
  EXPECT_EQ(sim->server().requests().writes("POST", "").size(), 1u);
}

TEST_P(AdPushAutotask, R16_AdLabelsDoNotQualify_NotInThePsa) {
  CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
  begin(settings_with(true, "", ""));
  ldap->add_users({jane()});
  import(add_source());
  auto a = contact(jane_id());
  EXPECT_EQ(a["psa-push-state"], "not-pushed");
  EXPECT_EQ(a["psa-push-error"], "not pushed to Autotask PSA: the two-way settings name no PSA email type");
  EXPECT_EQ(a["psa-badge"], false);
  sync::Pusher pusher(api->db(), options);
  EXPECT_EQ(pusher.run_due(), 0);
  EXPECT_TRUE(sim->server().requests().writes("POST").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, AdPushAutotask, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
