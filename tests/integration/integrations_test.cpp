// Stored PSA integrations (issue 4) on SQLite and PostgreSQL: the admin-only API, credentials
// sealed with the master key (never in a response, never in plain text in the database), state,
// settings, and the `cairn integration` command line as scripts run it.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "store/integrations.h"
#include "store/secrets.h"
#include "support/api_harness.h"
#include "support/cli_runner.h"

extern char** environ;

using namespace cairn;
using nlohmann::json;
using test::Backend;

namespace {

const std::string kKeyA = "aa0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kKeyB = "bb0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// Values no response, log or column may ever contain.
const std::string kPrivate = "PRIVATE-9f8e7d6c5b4a";
const std::string kPublic = "PUBLIC-1a2b3c4d";
const std::string kCompany = "COMPANY-acme-77";
const std::string kClient = "CLIENT-5555-6666";

json cw_attributes(const std::string& name = "Acme CW") {
  return {{"kind", "connectwise"},
          {"name", name},
          {"base-url", "https://api-na.myconnectwise.net/"},
          {"credentials",
           {{"company_id", kCompany}, {"public_key", kPublic}, {"private-key", kPrivate}, {"client_id", kClient}}}};
}
json doc(const json& attributes) { return {{"data", {{"type", "integrations"}, {"attributes", attributes}}}}; }

bool holds_a_secret(const std::string& text) {
  for (const auto& s : {kPrivate, kPublic, kCompany, kClient})
    if (text.find(s) != std::string::npos) return true;
  return false;
}

std::string create_cw(test::ApiHarness& api, const std::string& name = "Acme CW") {
  auto r = api.post("/integrations", doc(cw_attributes(name)));
  EXPECT_EQ(r.status, 201) << r.raw;
  EXPECT_FALSE(holds_a_secret(r.raw)) << r.raw;
  return r.status == 201 ? r.body["data"]["id"].get<std::string>() : "0";
}

// PostgreSQL has no key file: the key comes from the environment there. SQLite tests run
// without it, so the key file beside the database is what they exercise.
void use_key_for(Backend b) {
  if (b == Backend::Postgres) setenv("CAIRN_MASTER_KEY", kKeyA.c_str(), 1);
  else unsetenv("CAIRN_MASTER_KEY");
}

class Integrations : public ::testing::TestWithParam<Backend> {
 public:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    use_key_for(GetParam());
    api = std::make_unique<test::ApiHarness>(GetParam());
  }
  void TearDown() override { unsetenv("CAIRN_MASTER_KEY"); }

  std::string create_cw(const std::string& name = "Acme CW") { return ::create_cw(*api, name); }
  // The integrations table and the audit trail as text, to prove a refused request wrote nothing.
  std::string rows() {
    soci::session s(api->db().pool());
    std::string out;
    soci::rowset<soci::row> rs = (s.prepare << "SELECT CAST(id AS TEXT), name, COALESCE(credentials, ''), settings, "
                                               "state, updated_at FROM integrations ORDER BY id");
    for (const auto& r : rs)
      for (size_t i = 0; i < r.size(); ++i) out += r.get<std::string>(i) + "|";
    return out + api->snapshot();
  }
  std::unique_ptr<test::ApiHarness> api;
};

TEST_P(Integrations, Crud_AnAdminKeyCreatesReadsUpdatesAndDeletes) {
  auto made = api->post("/integrations", doc(cw_attributes()));
  ASSERT_EQ(made.status, 201) << made.raw;
  const auto& d = made.body["data"];
  EXPECT_EQ(d["type"], "integrations");
  const std::string id = d["id"];
  const auto& a = d["attributes"];
  EXPECT_EQ(a["kind"], "connectwise");
  EXPECT_EQ(a["name"], "Acme CW");
  EXPECT_EQ(a["base-url"], "https://api-na.myconnectwise.net");  // trailing slash dropped
  EXPECT_EQ(a["state"], "active");
  EXPECT_TRUE(a["state-reason"].is_null());
  EXPECT_EQ(a["credentials-set"], json({"company_id", "public_key", "private_key", "client_id"}));
  EXPECT_FALSE(a.contains("credentials"));
  EXPECT_EQ(a["settings"]["contacts-sync"], false);

  auto list = api->get("/integrations");
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body["data"].size(), 1u);
  EXPECT_EQ(list.body["data"][0]["id"], id);

  auto patched = api->patch("/integrations/" + id,
                            doc({{"name", "Acme Manage"}, {"credentials", {{"private_key", "NEW-PRIVATE-KEY-42"}}}}));
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body["data"]["attributes"]["name"], "Acme Manage");
  EXPECT_EQ(patched.body["data"]["attributes"]["credentials-set"].size(), 4u);  // merged, not replaced
  EXPECT_EQ(patched.raw.find("NEW-PRIVATE-KEY-42"), std::string::npos);

  // A document read from the API can be sent back as it is.
  auto got = api->get("/integrations/" + id);
  ASSERT_EQ(got.status, 200);
  // The capability table's row for the PSA (reference-behaviour §2.0), read-only.
  const auto& caps = got.body["data"]["attributes"]["capabilities"];
  EXPECT_EQ(caps["psa"], "ConnectWise Manage") << got.raw;
  EXPECT_EQ(caps["entities"], json({"organizations", "locations", "contacts", "configurations"}));
  EXPECT_EQ(caps["two-way"], true);
  EXPECT_EQ(caps["push-all"], true);
  EXPECT_EQ(caps["locations"], "records");
  EXPECT_EQ(caps["change-notices"], "callbacks");
  EXPECT_EQ(caps["max-page-size"], 1000);
  EXPECT_EQ(api->patch("/integrations/" + id, json{{"data", got.body["data"]}}).status, 200);

  EXPECT_EQ(api->del("/integrations/" + id).status, 204);
  EXPECT_EQ(api->get("/integrations/" + id).status, 404);
  EXPECT_EQ(api->del("/integrations/" + id).status, 404);
  EXPECT_EQ(api->get("/integrations/abc").status, 404);
}

TEST_P(Integrations, Audit_RecordsEachChangeButNeverACredentialValue) {
  auto id = create_cw();
  api->patch("/integrations/" + id, doc({{"credentials", {{"public_key", "ROTATED-PUBLIC"}}}}));
  soci::session s(api->db().pool());
  std::string all;
  int credential_rows = 0;
  soci::rowset<soci::row> rs = (s.prepare << "SELECT actor, action, COALESCE(field, ''), COALESCE(old_value, ''), "
                                             "COALESCE(new_value, '') FROM audit_events WHERE entity = 'integration'");
  for (const auto& r : rs) {
    for (size_t i = 0; i < r.size(); ++i) all += r.get<std::string>(i) + "|";
    all += "\n";
    if (r.get<std::string>(2).rfind("credentials.", 0) == 0) {
      ++credential_rows;
      EXPECT_EQ(r.get<std::string>(4), "(changed)");
    }
  }
  EXPECT_EQ(credential_rows, 5) << all;  // four on create, one on update
  EXPECT_NE(all.find("api-key:"), std::string::npos) << all;
  EXPECT_FALSE(holds_a_secret(all)) << all;
  EXPECT_EQ(all.find("ROTATED-PUBLIC"), std::string::npos) << all;
}

TEST_P(Integrations, EditorAndReaderKeys_AreForbiddenAndWriteNothing) {
  auto id = create_cw();
  auto before = rows();
  for (const auto* key : {&api->editor_key, &api->reader_key}) {
    auto list = api->call("GET", "/integrations", "", *key);
    EXPECT_EQ(list.status, 403) << list.raw;
    EXPECT_EQ(list.body["errors"][0]["title"], "Forbidden");
    EXPECT_EQ(api->call("GET", "/integrations/" + id, "", *key).status, 403);
    EXPECT_EQ(api->call("POST", "/integrations", doc(cw_attributes("x")).dump(), *key).status, 403);
    EXPECT_EQ(api->call("PATCH", "/integrations/" + id, doc({{"name", "x"}}).dump(), *key).status, 403);
    EXPECT_EQ(api->call("DELETE", "/integrations/" + id, "", *key).status, 403);
    EXPECT_EQ(api->call("POST", "/integrations/" + id + "/actions/pause", "", *key).status, 403);
  }
  EXPECT_EQ(rows(), before);
}

TEST_P(Integrations, Credentials_NeverInAnyResponseNorPlainInTheDatabase) {
  auto id = create_cw();
  std::vector<test::Reply> replies = {api->get("/integrations"), api->get("/integrations/" + id),
                                      api->patch("/integrations/" + id, doc({{"name", "renamed"}})),
                                      api->post("/integrations/" + id + "/actions/pause", json::object()),
                                      api->post("/integrations/" + id + "/actions/resume", json::object())};
  for (const auto& r : replies) {
    EXPECT_EQ(r.status, 200) << r.raw;
    EXPECT_FALSE(holds_a_secret(r.raw)) << r.raw;
  }
  soci::session s(api->db().pool());
  std::string raw;
  s << "SELECT credentials FROM integrations WHERE id = " + id, soci::into(raw);
  EXPECT_EQ(raw.rfind("v1:", 0), 0u) << raw;
  EXPECT_FALSE(holds_a_secret(raw)) << raw;
  EXPECT_FALSE(holds_a_secret(rows()));
}

TEST_P(Integrations, WrongMasterKey_ReportsUnreadableCredentialsAndAFullUpdateReplacesThem) {
  setenv("CAIRN_MASTER_KEY", kKeyA.c_str(), 1);
  auto id = create_cw();
  setenv("CAIRN_MASTER_KEY", kKeyB.c_str(), 1);
  auto got = api->get("/integrations/" + id);
  ASSERT_EQ(got.status, 200) << got.raw;
  EXPECT_EQ(got.body["data"]["attributes"]["credentials-error"], "credentials cannot be decrypted: wrong CAIRN_MASTER_KEY?");
  EXPECT_TRUE(got.body["data"]["attributes"]["credentials-set"].empty());
  // Merging one credential into unreadable ones is refused: every credential must be given.
  auto partial = api->patch("/integrations/" + id, doc({{"credentials", {{"private_key", "p"}}}}));
  EXPECT_EQ(partial.status, 422) << partial.raw;
  auto full = api->patch("/integrations/" + id, doc({{"credentials", cw_attributes()["credentials"]}}));
  ASSERT_EQ(full.status, 200) << full.raw;
  EXPECT_TRUE(full.body["data"]["attributes"]["credentials-error"].is_null());
  EXPECT_EQ(api->get("/integrations/" + id).body["data"]["attributes"]["credentials-set"].size(), 4u);
  // Other changes leave unreadable credentials as they were.
  setenv("CAIRN_MASTER_KEY", kKeyA.c_str(), 1);
  EXPECT_EQ(api->patch("/integrations/" + id, doc({{"name", "still here"}})).status, 200);
}

TEST_P(Integrations, MissingCredential_Is422WithItsPointerAndWritesNothing) {
  auto before = rows();
  auto attrs = cw_attributes();
  attrs["credentials"].erase("private-key");
  auto r = api->post("/integrations", doc(attrs));
  ASSERT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["errors"][0]["status"], 422);
  EXPECT_EQ(r.body["errors"][0]["source"]["pointer"], "/data/attributes/credentials/private-key");
  EXPECT_NE(r.body["errors"][0]["detail"].get<std::string>().find("private_key"), std::string::npos);
  EXPECT_EQ(rows(), before);
}

TEST_P(Integrations, BadAttributes_Are422WithPointers) {
  auto id = create_cw();
  auto before = rows();
  struct Case {
    json attributes;
    std::string pointer;
  };
  auto with = [](const std::string& k, const json& v) {
    auto a = cw_attributes();
    a[k] = v;
    return a;
  };
  auto without = [](const std::string& k) {
    auto a = cw_attributes();
    a.erase(k);
    return a;
  };
  std::vector<Case> cases = {
      {with("kind", "halo"), "/data/attributes/kind"},
      {without("kind"), "/data/attributes/kind"},
      {without("base-url"), "/data/attributes/base-url"},
      {with("base-url", "api-na.myconnectwise.net"), "/data/attributes/base-url"},
      {with("name", " "), "/data/attributes/name"},
      {with("name", 5), "/data/attributes/name"},
      {with("colour", "red"), "/data/attributes/colour"},
      {with("credentials", "x"), "/data/attributes/credentials"},
      {with("settings", {{"org-types", "Customer"}}), "/data/attributes/settings/org-types"},
      {with("settings", {{"bogus", true}}), "/data/attributes/settings/bogus"},
  };
  auto foreign = cw_attributes();
  foreign["credentials"]["secret"] = "x";
  cases.push_back({foreign, "/data/attributes/credentials/secret"});
  for (const auto& c : cases) {
    auto r = api->post("/integrations", doc(c.attributes));
    EXPECT_EQ(r.status, 422) << c.attributes.dump() << " " << r.raw;
    EXPECT_EQ(r.body["errors"][0]["source"]["pointer"], c.pointer) << r.raw;
  }
  auto kind_change = api->patch("/integrations/" + id, doc({{"kind", "autotask"}}));
  EXPECT_EQ(kind_change.status, 422);
  EXPECT_EQ(kind_change.body["errors"][0]["source"]["pointer"], "/data/attributes/kind");
  EXPECT_EQ(api->post("/integrations", json{{"data", {{"type", "organizations"}}}}).status, 422);
  EXPECT_EQ(api->call("POST", "/integrations", "{not json", api->admin_key).status, 400);
  EXPECT_EQ(rows(), before);
}

TEST_P(Integrations, EveryKindCanBeAdded_AutotaskWithoutAUrl) {
  std::vector<json> attrs = {
      {{"kind", "autotask"}, {"name", "AT"},
       {"credentials", {{"username", "api@acme.example"}, {"secret", "s"}, {"integration-code", "CODE"}}}},
      {{"kind", "bms"}, {"name", "BMS"}, {"base-url", "https://bms.kaseya.com"},
       {"credentials", {{"username", "u"}, {"password", "p"}, {"tenant", "acme"}}}},
      {{"kind", "pulseway"}, {"name", "PW"}, {"base-url", "https://psa.pulseway.com"},
       {"credentials", {{"username", "u"}, {"password", "p"}, {"tenant", "acme"}}}},
      {{"kind", "tigerpaw"}, {"name", "TP"}, {"base-url", "https://api.acme.example"},
       {"credentials", {{"public_key", "p"}, {"private_key", "q"}}}},
  };
  for (const auto& a : attrs) {
    auto r = api->post("/integrations", doc(a));
    EXPECT_EQ(r.status, 201) << a.dump() << " " << r.raw;
  }
  EXPECT_EQ(api->get("/integrations").body["meta"]["total-count"], 4);
}

TEST_P(Integrations, PauseAndResume_ChangeTheStateWithAReason) {
  auto id = create_cw();
  auto paused = api->post("/integrations/" + id + "/actions/pause",
                          json{{"data", {{"attributes", {{"reason", "month-end freeze"}}}}}});
  ASSERT_EQ(paused.status, 200) << paused.raw;
  EXPECT_EQ(paused.body["data"]["attributes"]["state"], "paused");
  EXPECT_EQ(paused.body["data"]["attributes"]["state-reason"], "month-end freeze");
  EXPECT_EQ(api->get("/integrations/" + id).body["data"]["attributes"]["state"], "paused");
  auto resumed = api->call("POST", "/integrations/" + id + "/actions/resume", "", api->admin_key);
  ASSERT_EQ(resumed.status, 200) << resumed.raw;
  EXPECT_EQ(resumed.body["data"]["attributes"]["state"], "active");
  EXPECT_TRUE(resumed.body["data"]["attributes"]["state-reason"].is_null());
  EXPECT_EQ(api->post("/integrations/999999/actions/pause", json::object()).status, 404);
  // Resuming what is active changes nothing and writes nothing.
  auto before = rows();
  EXPECT_EQ(api->post("/integrations/" + id + "/actions/resume", json::object()).status, 200);
  EXPECT_EQ(rows(), before);
}

TEST_P(Integrations, Settings_EnableAndDisableRoundTripAndMergeOverTheStoredOnes) {
  auto id = create_cw();
  auto r = api->patch("/integrations/" + id,
                      doc({{"settings", {{"org-types", {"Customer", "Prospect"}}, {"contacts_sync", true},
                                         {"config-statuses", {"Active"}}}}}));
  ASSERT_EQ(r.status, 200) << r.raw;
  auto s = api->get("/integrations/" + id).body["data"]["attributes"]["settings"];
  EXPECT_EQ(s["org-types"], json({"Customer", "Prospect"}));
  EXPECT_EQ(s["contacts-sync"], true);
  EXPECT_EQ(s["config-statuses"], json({"Active"}));
  r = api->patch("/integrations/" + id, doc({{"settings", {{"org-types", {"Customer"}}}}}));
  ASSERT_EQ(r.status, 200) << r.raw;
  s = r.body["data"]["attributes"]["settings"];
  EXPECT_EQ(s["org-types"], json({"Customer"}));
  EXPECT_EQ(s["contacts-sync"], true);  // members not sent are kept
  EXPECT_EQ(s["config-statuses"], json({"Active"}));
  r = api->patch("/integrations/" + id, doc({{"settings", {{"contacts-sync", false}, {"org-types", json::array()}}}}));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["data"]["attributes"]["settings"]["contacts-sync"], false);
  EXPECT_TRUE(r.body["data"]["attributes"]["settings"]["org-types"].empty());
}

TEST_P(Integrations, Settings_TwoWayIsRefusedForTigerpaw) {
  auto r = api->post("/integrations", doc({{"kind", "tigerpaw"}, {"name", "TP"}, {"base-url", "https://api.acme.example"},
                                           {"credentials", {{"public_key", "p"}, {"private_key", "q"}}},
                                           {"settings", {{"two-way", true}}}}));
  EXPECT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["errors"][0]["source"]["pointer"], "/data/attributes/settings/two-way");
}

TEST_P(Integrations, Settings_D13_TwoWayAndItsContactTypesAreSettable) {
  auto id = create_cw();
  EXPECT_EQ(api->get("/integrations/" + id).body["data"]["attributes"]["settings"]["two-way"], false);  // off by default
  auto r = api->patch("/integrations/" + id,
                      doc({{"settings", {{"two-way", true}, {"two-way-email-type", "Work"}, {"two-way-phone-type", "Direct"},
                                         {"default-account-manager", "Jane Owner"}}}}));
  ASSERT_EQ(r.status, 200) << r.raw;
  auto s = api->get("/integrations/" + id).body["data"]["attributes"]["settings"];
  EXPECT_EQ(s["two-way"], true);
  EXPECT_EQ(s["two-way-email-type"], "Work");
  EXPECT_EQ(s["two-way-phone-type"], "Direct");
  EXPECT_EQ(s["default-account-manager"], "Jane Owner");
  r = api->patch("/integrations/" + id, doc({{"settings", {{"two-way", "yes"}}}}));
  EXPECT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["errors"][0]["source"]["pointer"], "/data/attributes/settings/two-way");
}

TEST_P(Integrations, Settings_D6_TigerpawRefusesConfigurationTypesAndStatusesWithTheReason) {
  auto created = api->post("/integrations", doc({{"kind", "tigerpaw"}, {"name", "TP"}, {"base-url", "https://api.acme.example"},
                                                 {"credentials", {{"public_key", "p"}, {"private_key", "q"}}}}));
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = created.body["data"]["id"];
  const std::string reason(core::capabilities_for("tigerpaw")->no_configurations_reason);
  auto before = rows();
  auto types = api->patch("/integrations/" + id, doc({{"settings", {{"config-types", {"Server"}}}}}));
  EXPECT_EQ(types.status, 422) << types.raw;
  EXPECT_EQ(types.body["errors"][0]["source"]["pointer"], "/data/attributes/settings/config-types");
  EXPECT_NE(types.body["errors"][0]["detail"].get<std::string>().find(reason), std::string::npos) << types.raw;
  auto statuses = api->patch("/integrations/" + id, doc({{"settings", {{"config-statuses", {"Active"}}}}}));
  EXPECT_EQ(statuses.status, 422) << statuses.raw;
  EXPECT_EQ(statuses.body["errors"][0]["source"]["pointer"], "/data/attributes/settings/config-statuses");
  // R12: two-way is refused on an existing Tigerpaw integration too, with the capability row's reason.
  auto two_way = api->patch("/integrations/" + id, doc({{"settings", {{"two-way", true}}}}));
  EXPECT_EQ(two_way.status, 422) << two_way.raw;
  EXPECT_NE(two_way.body["errors"][0]["detail"].get<std::string>().find(core::capabilities_for("tigerpaw")->no_two_way_reason),
            std::string::npos)
      << two_way.raw;
  EXPECT_EQ(rows(), before);  // nothing written
  // What Tigerpaw has is still accepted.
  auto ok = api->patch("/integrations/" + id, doc({{"settings", {{"org-types", {"Customer"}}, {"contacts-sync", true}}}}));
  EXPECT_EQ(ok.status, 200) << ok.raw;
}

INSTANTIATE_TEST_SUITE_P(Backends, Integrations, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

// The key file exists only beside a SQLite database (PostgreSQL takes CAIRN_MASTER_KEY).
class IntegrationKeyFile : public ::testing::Test {
 public:
  void SetUp() override {
    unsetenv("CAIRN_MASTER_KEY");
    api = std::make_unique<test::ApiHarness>(Backend::Sqlite);
  }
  std::unique_ptr<test::ApiHarness> api;
};

TEST_F(IntegrationKeyFile, IsCreatedBesideTheSqliteDatabaseWithMode0600) {
  const std::string path = store::key_file_path(api->db().sqlite_path());
  EXPECT_FALSE(std::filesystem::exists(path));
  create_cw(*api);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0) << path;
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(path);
  std::string text;
  in >> text;
  EXPECT_EQ(text.size(), 64u);
}

TEST_F(IntegrationKeyFile, ReadableByOthersIsRefusedWithAClearMessage) {
  create_cw(*api);
  const std::string path = store::key_file_path(api->db().sqlite_path());
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  auto r = api->get("/integrations");
  EXPECT_EQ(r.status, 500) << r.raw;
  std::string detail = r.body["errors"][0]["detail"];
  EXPECT_NE(detail.find("chmod 600"), std::string::npos) << detail;
  EXPECT_NE(detail.find(path), std::string::npos) << detail;
  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  EXPECT_EQ(api->get("/integrations").status, 200);
}

TEST_F(IntegrationKeyFile, LostWhileCredentialsExistIsRefusedInsteadOfReplaced) {
  create_cw(*api);
  const std::string path = store::key_file_path(api->db().sqlite_path());
  std::filesystem::rename(path, path + ".moved");
  auto r = api->get("/integrations");
  EXPECT_EQ(r.status, 500) << r.raw;
  EXPECT_NE(r.raw.find("is missing"), std::string::npos) << r.raw;
  EXPECT_FALSE(std::filesystem::exists(path));  // no new key made over the lost one
  std::filesystem::rename(path + ".moved", path);
  EXPECT_EQ(api->get("/integrations").status, 200);
}

// ---- the command line ----

using test::CliRun;

class IntegrationCli : public ::testing::TestWithParam<Backend> {
 public:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    use_key_for(GetParam());
    tdb = std::make_unique<test::TestDatabase>(GetParam());
  }
  void TearDown() override { unsetenv("CAIRN_MASTER_KEY"); }

  // Runs the real binary with --db appended, the master key in its environment on PostgreSQL.
  CliRun cairn(std::vector<std::string> args, const std::string& input = "") {
    args.push_back("--db");
    args.push_back(tdb->spec());
    std::vector<std::string> env;
    if (GetParam() == Backend::Postgres) env.push_back("CAIRN_MASTER_KEY=" + kKeyA);
    return test::run_cairn(args, env, input);
  }
  CliRun add_cw() {
    return cairn({"integration", "add", "--kind", "connectwise", "--name", "Acme CW", "--url",
                  "https://api-na.myconnectwise.net", "--company-id", kCompany, "--public-key", kPublic,
                  "--private-key", kPrivate, "--client-id", kClient});
  }

  std::unique_ptr<test::TestDatabase> tdb;
};

TEST_P(IntegrationCli, Add_PrintsTheNewIdAloneOnStandardOutput) {
  auto r = add_cw();
  ASSERT_EQ(r.code, 0) << r.err;
  soci::session s(tdb->db().pool());
  std::string id, raw;
  s << "SELECT CAST(id AS TEXT), credentials FROM integrations", soci::into(id), soci::into(raw);
  EXPECT_EQ(r.out, id + "\n");
  EXPECT_FALSE(holds_a_secret(raw));
  EXPECT_FALSE(holds_a_secret(r.err));
  auto at = cairn({"integration", "add", "--kind", "autotask", "--name", "AT", "--username", "api@acme.example",
                   "--secret", "s", "--integration-code", "CODE"});
  ASSERT_EQ(at.code, 0) << at.err;
  EXPECT_EQ(at.out, std::to_string(std::stoll(id) + 1) + "\n");
}

TEST_P(IntegrationCli, Add_ReadsACredentialGivenAsDashFromStandardInput) {
  auto r = cairn({"integration", "add", "--kind", "tigerpaw", "--name", "TP", "--url", "https://api.acme.example",
                  "--public-key", "pub", "--private-key", "-"},
                 kPrivate + "\n");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string id = r.out.substr(0, r.out.size() - 1);
  auto show = cairn({"integration", "show", id});
  EXPECT_NE(show.out.find("credential private_key\tset"), std::string::npos) << show.out;
  auto key = store::master_key_for(tdb->db());
  ASSERT_TRUE(key) << key.error().detail;
  soci::session s(tdb->db().pool());
  store::Integrations integrations(s, tdb->db().dialect(), *key);
  auto i = integrations.get(std::stoll(id));
  ASSERT_TRUE(i);
  EXPECT_EQ(i->credentials.at("private_key"), kPrivate);
}

TEST_P(IntegrationCli, Settings_TigerpawRefusesConfigurationTypesAndTwoWayWithTheReason) {
  auto added = cairn({"integration", "add", "--kind", "tigerpaw", "--name", "TP", "--url", "https://api.acme.example",
                      "--public-key", "pub", "--private-key", "priv"});
  ASSERT_EQ(added.code, 0) << added.err;
  const std::string id = added.out.substr(0, added.out.size() - 1);
  auto config = cairn({"integration", "settings", id, "--enable-config-type", "Server"});
  EXPECT_EQ(config.code, 2) << config.err;
  EXPECT_NE(config.err.find(std::string(core::capabilities_for("tigerpaw")->no_configurations_reason)), std::string::npos)
      << config.err;
  EXPECT_NE(config.err.find("(--enable-config-type)"), std::string::npos) << config.err;
  auto status = cairn({"integration", "settings", id, "--enable-config-status", "Active"});
  EXPECT_EQ(status.code, 2) << status.err;
  EXPECT_NE(status.err.find("(--enable-config-status)"), std::string::npos) << status.err;
  auto two_way = cairn({"integration", "settings", id, "--two-way", "on"});
  EXPECT_EQ(two_way.code, 2) << two_way.err;
  EXPECT_NE(two_way.err.find(std::string(core::capabilities_for("tigerpaw")->no_two_way_reason)), std::string::npos)
      << two_way.err;
  EXPECT_NE(two_way.err.find("(--two-way)"), std::string::npos) << two_way.err;
  auto shown = cairn({"integration", "settings", id});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_NE(shown.out.find("two-way\toff\n"), std::string::npos) << shown.out;
  EXPECT_EQ(shown.out.find("config-"), std::string::npos) << shown.out;
  // Other kinds take --two-way.
  auto cw = add_cw();
  ASSERT_EQ(cw.code, 0) << cw.err;
  const std::string cw_id = cw.out.substr(0, cw.out.size() - 1);
  ASSERT_EQ(cairn({"integration", "settings", cw_id, "--two-way", "on"}).code, 0);
  EXPECT_NE(cairn({"integration", "settings", cw_id}).out.find("two-way\ton\n"), std::string::npos);
}

TEST_P(IntegrationCli, SettingsShowPauseAndRemove_AsScriptsUseThem) {
  auto added = add_cw();
  ASSERT_EQ(added.code, 0) << added.err;
  const std::string id = added.out.substr(0, added.out.size() - 1);

  auto set = cairn({"integration", "settings", id, "--enable-org-type", "Customer", "--enable-org-type", "Prospect",
                    "--contacts-sync", "on"});
  ASSERT_EQ(set.code, 0) << set.err;
  auto off = cairn({"integration", "settings", id, "--disable-org-type", "Prospect", "--enable-config-status", "Active"});
  ASSERT_EQ(off.code, 0) << off.err;
  auto shown = cairn({"integration", "settings", id});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_NE(shown.out.find("contacts-sync\ton\n"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("org-type\tCustomer\tenabled\n"), std::string::npos) << shown.out;
  EXPECT_EQ(shown.out.find("Prospect"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("config-status\tActive\tenabled\n"), std::string::npos) << shown.out;

  auto show = cairn({"integration", "show", id});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("kind\tconnectwise\n"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("credential private_key\tset\n"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("state\tactive\n"), std::string::npos) << show.out;
  EXPECT_FALSE(holds_a_secret(show.out + show.err)) << show.out;
  auto list = cairn({"integration", "list"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find(id + "\tconnectwise\tactive\tAcme CW\t"), std::string::npos) << list.out;
  EXPECT_FALSE(holds_a_secret(list.out));

  ASSERT_EQ(cairn({"integration", "pause", id, "--reason", "migration"}).code, 0);
  show = cairn({"integration", "show", id});
  EXPECT_NE(show.out.find("state\tpaused\n"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("state-reason\tmigration\n"), std::string::npos) << show.out;
  ASSERT_EQ(cairn({"integration", "resume", id}).code, 0);
  EXPECT_NE(cairn({"integration", "show", id}).out.find("state\tactive\n"), std::string::npos);

  ASSERT_EQ(cairn({"integration", "update", id, "--name", "Renamed", "--private-key", "ROTATED"}).code, 0);
  EXPECT_NE(cairn({"integration", "show", id}).out.find("name\tRenamed\n"), std::string::npos);

  // A PSA that does not answer: the test fails, saying why. (Never a real host: no network here.)
  ASSERT_EQ(cairn({"integration", "update", id, "--url", "http://127.0.0.1:1"}).code, 0);
  auto test = cairn({"integration", "test", id});
  EXPECT_EQ(test.code, 1);
  EXPECT_NE(test.err.find("cannot reach http://127.0.0.1:1"), std::string::npos) << test.err;

  auto removed = cairn({"integration", "remove", id});
  ASSERT_EQ(removed.code, 0) << removed.err;
  EXPECT_EQ(removed.out, "");
  auto gone = cairn({"integration", "show", id});
  EXPECT_EQ(gone.code, 1);
  EXPECT_NE(gone.err.find("no integration with id " + id), std::string::npos) << gone.err;
}

TEST_P(IntegrationCli, Settings_D13_TwoWayOnAndOff_RefusedForTigerpaw) {
  auto added = add_cw();
  ASSERT_EQ(added.code, 0) << added.err;
  const std::string id = added.out.substr(0, added.out.size() - 1);
  auto on = cairn({"integration", "settings", id, "--two-way", "on", "--email-type", "Work", "--phone-type", "Direct",
                   "--default-account-manager", "Jane Owner"});
  ASSERT_EQ(on.code, 0) << on.err;
  auto shown = cairn({"integration", "settings", id});
  EXPECT_NE(shown.out.find("two-way\ton\n"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("email-type\tWork\n"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("phone-type\tDirect\n"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("default-account-manager\tJane Owner\n"), std::string::npos) << shown.out;
  ASSERT_EQ(cairn({"integration", "settings", id, "--two-way", "off"}).code, 0);
  EXPECT_NE(cairn({"integration", "settings", id}).out.find("two-way\toff\n"), std::string::npos);
  EXPECT_EQ(cairn({"integration", "settings", id, "--two-way", "maybe"}).code, 2);

  auto tp = cairn({"integration", "add", "--kind", "tigerpaw", "--name", "TP", "--url", "https://api.acme.example",
                   "--public-key", "pub", "--private-key", "priv"});
  ASSERT_EQ(tp.code, 0) << tp.err;
  const std::string tp_id = tp.out.substr(0, tp.out.size() - 1);
  auto refused = cairn({"integration", "settings", tp_id, "--two-way", "on"});
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find("two-way can't be turned on (--two-way)"), std::string::npos) << refused.err;
  EXPECT_NE(cairn({"integration", "settings", tp_id}).out.find("two-way\toff\n"), std::string::npos);
}

TEST_P(IntegrationCli, BadFlags_ExitWith2AndAClearMessageAndWriteNothing) {
  auto missing = cairn({"integration", "add", "--kind", "connectwise", "--name", "N", "--url", "https://x.example",
                        "--public-key", "K", "--private-key", "P", "--client-id", "I"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_NE(missing.err.find("--company-id"), std::string::npos) << missing.err;
  auto no_url = cairn({"integration", "add", "--kind", "connectwise", "--name", "N", "--company-id", "C",
                       "--public-key", "K", "--private-key", "P", "--client-id", "I"});
  EXPECT_EQ(no_url.code, 2);
  EXPECT_NE(no_url.err.find("--url"), std::string::npos) << no_url.err;
  auto bad_kind = cairn({"integration", "add", "--kind", "halo", "--name", "N", "--url", "https://x.example"});
  EXPECT_EQ(bad_kind.code, 2);
  EXPECT_NE(bad_kind.err.find("connectwise, autotask, bms, pulseway or tigerpaw"), std::string::npos) << bad_kind.err;
  auto foreign = cairn({"integration", "add", "--kind", "autotask", "--name", "N", "--username", "u", "--secret", "s",
                        "--integration-code", "c", "--private-key", "p"});
  EXPECT_EQ(foreign.code, 2);
  EXPECT_NE(foreign.err.find("--private-key"), std::string::npos) << foreign.err;
  EXPECT_EQ(cairn({"integration", "add", "--kind", "connectwise", "--bogus"}).code, 2);
  EXPECT_EQ(cairn({"integration", "add", "--name", "no kind"}).code, 2);
  EXPECT_EQ(cairn({"integration", "show"}).code, 2);
  EXPECT_EQ(cairn({"integration", "show", "abc"}).code, 2);
  EXPECT_EQ(cairn({"integration"}).code, 2);
  soci::session s(tdb->db().pool());
  long long n = -1;
  s << "SELECT COUNT(*) FROM integrations", soci::into(n);
  EXPECT_EQ(n, 0);

  auto added = add_cw();
  ASSERT_EQ(added.code, 0) << added.err;
  const std::string id = added.out.substr(0, added.out.size() - 1);
  EXPECT_EQ(cairn({"integration", "settings", id, "--contacts-sync", "maybe"}).code, 2);
  auto both = cairn({"integration", "settings", id, "--enable-org-type", "X", "--disable-org-type", "X"});
  EXPECT_EQ(both.code, 2);
  EXPECT_NE(both.err.find("both enabled and disabled"), std::string::npos) << both.err;
  EXPECT_EQ(cairn({"integration", "update", id}).code, 2);
  EXPECT_EQ(cairn({"integration", "pause", "424242"}).code, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, IntegrationCli, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
