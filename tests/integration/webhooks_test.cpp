// PSA change notices end to end: `cairn integration webhooks --register` registers Cairn's
// notice URL with the emulator once (run twice), a notice with a wrong or missing signature is
// refused (401) and changes nothing, and a change a person makes in the PSA reaches a running
// `cairn serve` through the emulator's own signed callback/webhook and brings the record in
// without waiting for the schedule (whose intervals are set to their longest).
#include <gtest/gtest.h>
#include <httplib.h>
#include <soci/soci.h>

#include <chrono>
#include <thread>

#include "core/crypto.h"
#include "integration/sim_harness.h"
#include "integration/sync_harness.h"
#include "psa/autotask/source.h"
#include "psa/connectwise/source.h"
#include "sim/connectwise/callbacks.h"
#include "store/api_keys.h"
#include "support/cli_runner.h"
#include "sync/engine.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

// `cairn serve` on a loopback port of its own, over the test's database.
class Serve {
 public:
  explicit Serve(const std::string& db_spec)
      : child_({CAIRN_BINARY, "serve", "--db", db_spec, "--listen", "127.0.0.1:0", "--threads", "2"}) {
    for (int i = 0; i < 50 && base_.empty(); ++i) {
      std::string line = child_.read_line();
      if (line.rfind("Cairn serving", 0) == 0) base_ = line.substr(line.rfind(" on ") + 4);
      if (line.empty() && !child_.started()) break;
    }
    client_ = std::make_unique<httplib::Client>(base_);
  }
  ~Serve() { child_.signal_and_wait(SIGTERM); }
  const std::string& base_url() const { return base_; }
  test::SimReply post(const std::string& path, const std::string& body, const httplib::Headers& headers) {
    return test::to_reply(client_->Post(path, headers, body, "application/json"));
  }

 private:
  test::ChildProcess child_;
  std::string base_;
  std::unique_ptr<httplib::Client> client_;
};

core::SyncSettings long_schedule(core::SyncSettings s) {
  s.incremental_minutes = 1440;  // the longest each allows: no scheduled run during a test
  s.full_hours = 168;
  return s;
}

// Polls until sql counts at least one row; the milliseconds it took, or -1 after 20 s.
long long wait_for_row(test::SyncHarness& h, const std::string& sql) {
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
    if (h.count(sql) > 0)
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

// `cairn integration webhooks ID …` on the test's database.
test::CliRun webhooks_cli(test::SyncHarness& h, const std::string& id, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"integration", "webhooks", id, "--db", h.tdb().spec()};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::run_cairn(args, {std::string("CAIRN_MASTER_KEY=") + test::kTestMasterKey});
}

std::string run_counts(test::SyncHarness& h) {
  return std::to_string(h.count("SELECT COUNT(*) FROM sync_runs")) + " runs";
}

class ConnectWiseWebhooks : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    h = std::make_unique<test::SyncHarness>(GetParam());
    sim = std::make_unique<test::CwSim>();
    core::SyncSettings settings;
    settings.org_types = {"Customer"};
    settings.org_statuses = {"Active"};
    settings.contacts_sync = true;
    integration = h->create_integration(test::connectwise_input(*sim, long_schedule(settings)));
    psa::connectwise::Source source(integration.base_url, {sim->options().company_id, sim->options().public_key,
                                                           sim->options().private_key, sim->options().client_id});
    ASSERT_EQ(sync::run_sync(h->db(), integration, source, {}).state, "done");
    id = std::to_string(integration.id);
  }
  test::CliRun webhooks(const std::vector<std::string>& extra) { return webhooks_cli(*h, id, extra); }
  std::vector<json> callbacks_for(const std::string& url) {
    std::vector<json> out;
    for (const auto& cb : sim->get("/system/callbacks?pageSize=1000").body)
      if (cb["url"] == url) out.push_back(cb);
    return out;
  }

  std::unique_ptr<test::SyncHarness> h;
  std::unique_ptr<test::CwSim> sim;
  store::Integration integration;
  std::string id;
};

TEST_P(ConnectWiseWebhooks, RegisterTwice_CreatesOneCallbackPerTypeOnce) {
  const std::string url = "http://cairn.example:8080/webhooks/" + id;
  auto first = webhooks({"--register", "--url", "http://cairn.example:8080"});
  ASSERT_EQ(first.code, 0) << first.err;
  auto second = webhooks({"--register", "--url", "http://cairn.example:8080/"});
  ASSERT_EQ(second.code, 0) << second.err;
  auto made = callbacks_for(url);
  ASSERT_EQ(made.size(), 3u) << sim->get("/system/callbacks").raw;
  std::set<std::string> types;
  for (const auto& cb : made) {
    types.insert(cb["type"].get<std::string>());
    EXPECT_EQ(cb["level"], "owner");
    EXPECT_EQ(cb["objectId"], 1);
    EXPECT_EQ(cb["isSelfSuppressedFlag"], true);  // Cairn's own writes do not echo back
  }
  EXPECT_EQ(types, (std::set<std::string>{"company", "configuration", "contact"}));
  EXPECT_NE(first.out.find("created"), std::string::npos) << first.out;
  EXPECT_EQ(second.out.find("created"), std::string::npos) << second.out;
  // Without --register it lists them.
  auto listed = webhooks({"--url", "http://cairn.example:8080"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_NE(listed.out.find("company"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(url), std::string::npos) << listed.out;
}

TEST_P(ConnectWiseWebhooks, WrongOrMissingSignature_IsRefusedAndChangesNothing) {
  Serve serve(h->tdb().spec());
  ASSERT_FALSE(serve.base_url().empty());
  ASSERT_EQ(webhooks({"--register", "--url", serve.base_url()}).code, 0);
  const auto registered = callbacks_for(serve.base_url() + "/webhooks/" + id);
  ASSERT_FALSE(registered.empty());
  // A callback naming company 1 with the emulator's real key URL, signed with the wrong key.
  const std::string key_url = sim->base_url() + "/" + sim->options().codebase + "/system/callbackkey/index.rails?companyName=" +
                              sim->options().company_id + "&id=" + registered[0]["id"].dump();
  const std::string body = json{{"MessageId", "m1"}, {"Action", "updated"}, {"Type", "company"}, {"ID", 1},
                                {"Entity", "{}"}, {"Metadata", {{"key_url", key_url}}}}
                               .dump();
  const std::string before = h->documentation() + run_counts(*h);
  auto wrong = serve.post("/webhooks/" + id, body, {{"x-content-signature", sim::connectwise::callback_signature("not-the-key", body)}});
  EXPECT_EQ(wrong.status, 401) << wrong.raw;
  EXPECT_EQ(wrong.body["errors"][0]["status"], 401) << wrong.raw;
  auto missing = serve.post("/webhooks/" + id, body, {});
  EXPECT_EQ(missing.status, 401) << missing.raw;
  // A key server of the sender's choosing is not asked.
  std::string forged = body;
  forged.replace(forged.find(sim->base_url()), sim->base_url().size(), "http://127.0.0.1:1");
  auto elsewhere = serve.post("/webhooks/" + id, forged, {{"x-content-signature", sim::connectwise::callback_signature("k", forged)}});
  EXPECT_EQ(elsewhere.status, 401) << elsewhere.raw;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // longer than the puller's window
  EXPECT_EQ(h->documentation() + run_counts(*h), before);
  // An unknown integration is 404.
  EXPECT_EQ(serve.post("/webhooks/999999", body, {{"x-content-signature", "x"}}).status, 404);
}

TEST_P(ConnectWiseWebhooks, ChangeInThePsa_ArrivesThroughTheCallbackWithoutTheSchedule) {
  Serve serve(h->tdb().spec());
  ASSERT_FALSE(serve.base_url().empty());
  ASSERT_EQ(webhooks({"--register", "--url", serve.base_url()}).code, 0);
  auto psa_id = h->text("SELECT psa_id FROM psa_links WHERE entity = 'organization' ORDER BY id LIMIT 1");
  const long long runs_before = h->count("SELECT COUNT(*) FROM sync_runs");
  ASSERT_EQ(sim->admin("PATCH", "/records/companies/" + psa_id, R"({"name": "Renamed By A Callback"})").status / 100, 2);
  const long long ms = wait_for_row(*h, "SELECT COUNT(*) FROM organizations WHERE name = 'Renamed By A Callback'");
  ASSERT_GE(ms, 0) << "the renamed company never arrived";
  std::cout << "[ figure ] ConnectWise admin change to record in Cairn: " << ms << " ms\n";
  // One record run, no scheduled pull; audit rows name the webhook.
  EXPECT_EQ(h->count("SELECT COUNT(*) FROM sync_runs WHERE mode <> 'record'"), 1);  // the first full sync alone
  EXPECT_GE(h->count("SELECT COUNT(*) FROM sync_runs"), runs_before + 1);
  EXPECT_EQ(h->text("SELECT actor FROM audit_events WHERE field = 'name' AND new_value = 'Renamed By A Callback'"),
            "webhook:connectwise " + integration.name);
  auto deliveries = sim->admin("GET", "/callbacks/deliveries?wait_ms=2000").body;
  bool accepted = false;
  for (const auto& d : deliveries["deliveries"]) accepted = accepted || d["status"] == 202;
  EXPECT_TRUE(accepted) << deliveries.dump();

  // Deleted in the PSA: the callback orphans it, as the per-record sync does.
  ASSERT_EQ(sim->admin("DELETE", "/records/companies/" + psa_id).status / 100, 2);
  EXPECT_GE(wait_for_row(*h, "SELECT COUNT(*) FROM psa_links WHERE entity = 'organization' AND state = 'orphaned' AND psa_id = '" +
                                 psa_id + "'"),
            0);
}

TEST_P(ConnectWiseWebhooks, RegisterThroughTheApi_IsIdempotentAndAPsaWithoutNoticesIsRefused) {
  std::string admin;
  {
    soci::session s(h->db().pool());
    admin = store::create_api_key(s, "webhook admin", store::Role::Admin).secret;
  }
  store::IntegrationInput bms;
  bms.kind = "bms";
  bms.name = "Polled BMS";
  bms.base_url = "https://api.bms.example";
  bms.credentials = {{"username", "u"}, {"password", "p"}, {"tenant", "t"}};
  const std::string bms_id = std::to_string(h->create_integration(bms).id);
  Serve serve(h->tdb().spec());
  ASSERT_FALSE(serve.base_url().empty());
  const std::string path = "/integrations/" + id + "/actions/register-webhooks?url=https://cairn.example";
  auto first = serve.post(path, "", {{"x-api-key", admin}});
  ASSERT_EQ(first.status, 200) << first.raw;
  ASSERT_EQ(first.body["data"].size(), 3u) << first.raw;
  for (const auto& r : first.body["data"]) EXPECT_EQ(r["attributes"]["created"], true) << first.raw;
  auto second = serve.post(path, "", {{"x-api-key", admin}});
  ASSERT_EQ(second.status, 200) << second.raw;
  ASSERT_EQ(second.body["data"].size(), 3u) << second.raw;
  for (const auto& r : second.body["data"]) EXPECT_EQ(r["attributes"]["created"], false) << second.raw;
  EXPECT_EQ(callbacks_for("https://cairn.example/webhooks/" + id).size(), 3u);
  // Registering needs an admin key; the notice route needs none but the PSA's signature.
  EXPECT_EQ(serve.post(path, "", {}).status, 401);
  // A PSA without change notices: Cairn polls it, and says so.
  auto polled = serve.post("/integrations/" + bms_id + "/actions/register-webhooks?url=https://cairn.example", "",
                           {{"x-api-key", admin}});
  EXPECT_EQ(polled.status, 422) << polled.raw;
  EXPECT_NE(polled.raw.find("Cairn polls it"), std::string::npos) << polled.raw;
  auto notice = serve.post("/webhooks/" + bms_id, "{}", {});
  EXPECT_EQ(notice.status, 422) << notice.raw;
  auto cli = webhooks_cli(*h, bms_id, {"--register", "--url", "https://cairn.example"});
  EXPECT_EQ(cli.code, 1);
  EXPECT_NE(cli.err.find("Cairn polls it"), std::string::npos) << cli.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, ConnectWiseWebhooks, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

class AutotaskWebhooks : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    h = std::make_unique<test::SyncHarness>(GetParam());
    sim = std::make_unique<test::AtSim>();
    store::IntegrationInput in;
    in.kind = "autotask";
    in.name = "Demo AT";
    in.base_url = sim->base_url() + "/atservicesrest/";
    in.credentials = {{"username", sim->options().username}, {"secret", sim->options().secret},
                      {"integration_code", sim->options().integration_code}};
    core::SyncSettings settings;
    settings.org_types = {"Customer"};
    settings.org_statuses = {"Active"};
    settings.contacts_sync = true;
    in.settings = long_schedule(settings);
    integration = h->create_integration(in);
    psa::autotask::Source source(in.base_url.value(), {sim->options().username, sim->options().secret,
                                                       sim->options().integration_code});
    ASSERT_EQ(sync::run_sync(h->db(), integration, source, {}).state, "done");
    id = std::to_string(integration.id);
  }
  test::CliRun webhooks(const std::vector<std::string>& extra) { return webhooks_cli(*h, id, extra); }
  std::vector<json> hooks(const std::string& entity, const std::string& url) {
    auto page = sim->post("/" + entity + "/query",
                          {{"filter", json::array({{{"op", "eq"}, {"field", "webhookUrl"}, {"value", url}}})}});
    return page.body["items"].get<std::vector<json>>();
  }
  std::string stored_secret() {
    soci::session s(h->db().pool());
    store::Integrations integrations(s, h->db().dialect(), h->master());
    auto i = integrations.get(integration.id);
    auto it = i->credentials.find(store::kWebhookSecretCredential);
    return it == i->credentials.end() ? "" : it->second;
  }
  static std::string signed_by(const std::string& secret, const std::string& body) {
    return "sha1=" + core::base64(core::hmac_sha1(secret, body));
  }

  std::unique_ptr<test::SyncHarness> h;
  std::unique_ptr<test::AtSim> sim;
  store::Integration integration;
  std::string id;
};

TEST_P(AutotaskWebhooks, RegisterTwice_CreatesOneWebhookPerEntityOnceWithFieldsAndASealedSecret) {
  const std::string url = "https://cairn.example/webhooks/" + id;
  auto first = webhooks({"--register", "--url", "https://cairn.example"});
  ASSERT_EQ(first.code, 0) << first.err;
  const std::string secret = stored_secret();
  ASSERT_EQ(secret.size(), 48u);
  auto second = webhooks({"--register", "--url", "https://cairn.example"});
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(stored_secret(), secret);  // made once, kept
  // Never in the database in plain text.
  EXPECT_EQ(h->count("SELECT COUNT(*) FROM integrations WHERE credentials LIKE '%" + secret + "%'"), 0);
  EXPECT_EQ(h->count("SELECT COUNT(*) FROM audit_events WHERE new_value LIKE '%" + secret + "%'"), 0);
  for (const char* entity : {"CompanyWebhooks", "ContactWebhooks", "ConfigurationItemWebhooks"}) {
    auto made = hooks(entity, url);
    ASSERT_EQ(made.size(), 1u) << entity;
    EXPECT_EQ(made[0]["isActive"], true);
    EXPECT_EQ(made[0]["isSubscribedToUpdateEvents"], true);
    auto fields = sim->get("/" + std::string(entity) + "/" + made[0]["id"].dump() + "/Fields").body["items"];
    EXPECT_GE(fields.size(), 1u) << entity;
    std::set<long long> ids;
    for (const auto& f : fields) ids.insert(f["fieldID"].get<long long>());
    EXPECT_EQ(ids.size(), fields.size()) << entity << ": a field subscribed twice";
  }
  auto listed = webhooks({"--url", "https://cairn.example"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_NE(listed.out.find("ContactWebhooks"), std::string::npos) << listed.out;
}

TEST_P(AutotaskWebhooks, WrongOrMissingSignature_IsRefusedAndChangesNothing) {
  Serve serve(h->tdb().spec());
  ASSERT_FALSE(serve.base_url().empty());
  ASSERT_EQ(webhooks({"--register", "--url", serve.base_url()}).code, 0);
  auto psa_id = h->text("SELECT psa_id FROM psa_links WHERE entity = 'organization' AND psa_id <> '0' ORDER BY id LIMIT 1");
  const std::string body = json{{"Action", "Update"}, {"Guid", "g"}, {"EntityType", "Company"},
                                {"Id", std::stoll(psa_id)}, {"Fields", {{"companyName", "X"}}}}
                               .dump();
  const std::string before = h->documentation() + run_counts(*h);
  auto wrong = serve.post("/webhooks/" + id, body, {{"X-Hook-Signature", signed_by("not-the-secret", body)}});
  EXPECT_EQ(wrong.status, 401) << wrong.raw;
  EXPECT_EQ(wrong.body["errors"][0]["status"], 401) << wrong.raw;
  auto tampered = serve.post("/webhooks/" + id, body + " ", {{"X-Hook-Signature", signed_by(stored_secret(), body)}});
  EXPECT_EQ(tampered.status, 401) << tampered.raw;
  EXPECT_EQ(serve.post("/webhooks/" + id, body, {}).status, 401);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // longer than the puller's window
  EXPECT_EQ(h->documentation() + run_counts(*h), before);
}

TEST_P(AutotaskWebhooks, ChangeInThePsa_ArrivesThroughTheWebhookWithoutTheSchedule) {
  Serve serve(h->tdb().spec());
  ASSERT_FALSE(serve.base_url().empty());
  ASSERT_EQ(webhooks({"--register", "--url", serve.base_url()}).code, 0);
  auto psa_id = h->text("SELECT psa_id FROM psa_links WHERE entity = 'organization' AND psa_id <> '0' ORDER BY id LIMIT 1");
  ASSERT_EQ(sim->admin("PATCH", "/records/Companies/" + psa_id, R"({"companyName": "Renamed By A Webhook"})").status / 100, 2);
  const long long ms = wait_for_row(*h, "SELECT COUNT(*) FROM organizations WHERE name = 'Renamed By A Webhook'");
  ASSERT_GE(ms, 0) << "the renamed company never arrived";
  std::cout << "[ figure ] Autotask admin change to record in Cairn: " << ms << " ms\n";
  EXPECT_EQ(h->count("SELECT COUNT(*) FROM sync_runs WHERE mode <> 'record'"), 1);  // the first full sync alone
  EXPECT_EQ(h->text("SELECT actor FROM audit_events WHERE field = 'name' AND new_value = 'Renamed By A Webhook'"),
            "webhook:autotask " + integration.name);
}

TEST_P(AutotaskWebhooks, BurstOfNoticesForOneRecord_IsPulledOnce) {
  Serve serve(h->tdb().spec());
  ASSERT_FALSE(serve.base_url().empty());
  ASSERT_EQ(webhooks({"--register", "--url", serve.base_url()}).code, 0);
  auto psa_id = h->text("SELECT psa_id FROM psa_links WHERE entity = 'organization' AND psa_id <> '0' ORDER BY id LIMIT 1");
  const std::string secret = stored_secret();
  auto notice = [&](int seq) {
    const std::string body = json{{"Action", "Update"}, {"Guid", "g"}, {"EntityType", "Company"},
                                  {"Id", std::stoll(psa_id)}, {"Fields", json::object()}, {"SequenceNumber", seq}}
                                 .dump();
    return serve.post("/webhooks/" + id, body, {{"X-Hook-Signature", signed_by(secret, body)}});
  };
  const long long record_runs = h->count("SELECT COUNT(*) FROM sync_runs WHERE mode = 'record'");
  // Five notices for one record, back to back: those that find a pull of it still waiting are
  // merged into it, and every pull is one record run.
  long long queued = 0, merged = 0;
  for (int seq = 1; seq <= 5; ++seq) {
    auto r = notice(seq);
    ASSERT_EQ(r.status, 202) << r.raw;
    (r.body["meta"]["queued"] == true ? queued : merged) += 1;
  }
  EXPECT_GE(queued, 1);
  EXPECT_GE(merged, 1);
  const std::string done = "SELECT COUNT(*) FROM sync_runs WHERE mode = 'record' AND state = 'done' HAVING COUNT(*) >= " +
                           std::to_string(record_runs + queued);
  ASSERT_GE(wait_for_row(*h, done), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // nothing more comes
  EXPECT_EQ(h->count("SELECT COUNT(*) FROM sync_runs WHERE mode = 'record'"), record_runs + queued);
}

INSTANTIATE_TEST_SUITE_P(Backends, AutotaskWebhooks, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
