// Contacts from Active Directory (issue 7, reference-behaviour §4, D23, R16) against a real slapd
// seeded with AD-shaped users, on SQLite and PostgreSQL: new users create contacts, matches by
// email and by name enrich, disabled accounts and computers are skipped, labels follow the PSA's
// two-way types, paging reads directories larger than a page, and every failure (bad password,
// unreachable server, bad base DN) says what went wrong and writes nothing.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <cstdlib>
#include <memory>

#include "core/schema.h"
#include "store/documents.h"
#include "store/integrations.h"
#include "support/api_harness.h"
#include "support/cli_runner.h"
#include "support/slapd_server.h"
#include "sync/ad_import.h"

using namespace cairn;
using nlohmann::json;
using test::Backend;
using test::SeedUser;
using test::SlapdServer;

namespace {

const std::string kKey = "cc0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
// 2024-01-01T00:00:00Z as a FILETIME, and one day of ticks.
constexpr std::int64_t kJan2024 = (1704067200LL + 11644473600LL) * 10'000'000LL;
constexpr std::int64_t kDay = 86400LL * 10'000'000LL;

SeedUser jane() {
  SeedUser u;
  u.account_name = "jdoe";
  u.first = "Jane";
  u.last = "Doe";
  u.mail = "jane.doe@example.com";
  u.telephone = "+1 555 010 0001";
  u.mobile = "+1 555 010 0002";
  u.title = "Controller";
  u.pwd_last_set = kJan2024;
  u.last_logon = kJan2024 + kDay;
  return u;
}

SeedUser person(std::string sam, std::string first, std::string last, std::string mail) {
  SeedUser u;
  u.account_name = std::move(sam);
  u.first = std::move(first);
  u.last = std::move(last);
  u.mail = std::move(mail);
  return u;
}

class AdImport : public ::testing::TestWithParam<Backend> {
 public:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    setenv("CAIRN_MASTER_KEY", kKey.c_str(), 1);
    tdb = std::make_unique<test::TestDatabase>(GetParam());
    // No slapd fails the test (CI installs it): the constructor throws, and SetUp reports it.
    try {
      ldap = std::make_unique<SlapdServer>();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    org = create(core::entity("organizations"), {{"name", "Acme"}});
  }
  void TearDown() override { unsetenv("CAIRN_MASTER_KEY"); }

  std::int64_t create(const core::EntitySchema& e, const std::vector<std::pair<std::string, core::Value>>& values) {
    soci::session s(tdb->db().pool());
    store::Transaction tx(s, tdb->db().dialect());
    store::Documents docs(s, tdb->db().dialect());
    store::Changes c;
    for (const auto& [name, v] : values) c.emplace_back(e.field(name), v);
    auto id = docs.create(e, c, {"test", std::nullopt});
    EXPECT_TRUE(id) << id.error().detail;
    tx.commit();
    return id ? id.value() : 0;
  }
  std::int64_t contact(const std::string& first, const std::string& last, const std::string& email, const std::string& title = "") {
    core::Rows emails = {{core::Value(email), core::Value("Work"), core::Value(true)}};
    std::vector<std::pair<std::string, core::Value>> v = {{"organization_id", org}, {"first_name", first},
                                                          {"last_name", last}, {"contact_emails", emails}};
    if (!title.empty()) v.push_back({"title", title});
    return create(core::entity("contacts"), v);
  }

  test::CliRun cairn(std::vector<std::string> args, const std::string& input = "") {
    args.push_back("--db");
    args.push_back(tdb->spec());
    return test::run_cairn(args, {"CAIRN_MASTER_KEY=" + kKey}, input);
  }
  // Adds a directory source through the command line; returns its id.
  std::string add_source(const std::string& url, const std::string& password, const std::string& base_dn) {
    auto r = cairn({"directory-source", "add", "--org", std::to_string(org), "--name", "Acme AD", "--url", url,
                    "--bind-dn", SlapdServer::kRootDn, "--password", "-", "--base-dn", base_dn},
                   password + "\n");
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out.empty() ? "0" : r.out.substr(0, r.out.size() - 1);
  }
  std::string add_good_source() { return add_source(ldap->url(), SlapdServer::kRootPassword, SlapdServer::kSuffix); }

  long long count(const std::string& sql) {
    soci::session s(tdb->db().pool());
    long long n = -1;
    s << sql, soci::into(n);
    return n;
  }
  // Every contact, email, phone and audit row, as text: unchanged means nothing was written.
  std::string written() {
    soci::session s(tdb->db().pool());
    std::string out;
    for (const char* sql : {"SELECT CAST(id AS TEXT) || COALESCE(first_name, '') || COALESCE(title, '') || "
                            "COALESCE(ad_account_status, '') FROM contacts ORDER BY id",
                            "SELECT value || COALESCE(label_name, '') FROM contact_emails ORDER BY id",
                            "SELECT value || COALESCE(label_name, '') FROM contact_phones ORDER BY id",
                            "SELECT CAST(id AS TEXT) || actor || entity FROM audit_events ORDER BY id"}) {
      soci::rowset<std::string> rs = (s.prepare << sql);
      for (const auto& r : rs) out += r + "\n";
    }
    return out;
  }
  store::Record contact_record(std::int64_t id) {
    soci::session s(tdb->db().pool());
    store::Records records(s, tdb->db().dialect());
    auto r = records.get(core::entity("contacts"), id);
    EXPECT_TRUE(r.has_value());
    return r ? *r : store::Record{};
  }
  std::int64_t only_contact_id() {
    soci::session s(tdb->db().pool());
    long long id = 0;
    s << "SELECT MAX(id) FROM contacts", soci::into(id);
    return id;
  }
  static const core::Value& attr(const store::Record& r, const std::string& name) {
    return r[*core::entity("contacts").field(name)];
  }
  static std::vector<std::pair<std::string, std::string>> rows(const store::Record& r, const std::string& name) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto& f = *core::entity("contacts").field(name);
    const auto& value_f = *f.child->field("value");
    const auto& label_f = *f.child->field("label_name");
    if (r[f].is_rows())
      for (const auto& row : r[f].as_rows()) out.push_back({row[value_f.index].to_text(), row[label_f.index].to_text()});
    return out;
  }

  std::unique_ptr<test::TestDatabase> tdb;
  std::unique_ptr<SlapdServer> ldap;
  std::int64_t org = 0;
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST_P(AdImport, NewUser_CreatesAContactWithAdLabelsAndAdData) {
  ldap->add_users({jane()});
  const std::string source = add_good_source();
  auto r = cairn({"import-ad", "--source", source});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("created 1, enriched 0, skipped 0 (1 directory user in 1 page)"), std::string::npos) << r.out;
  ASSERT_EQ(count("SELECT COUNT(*) FROM contacts"), 1);
  auto c = contact_record(only_contact_id());
  EXPECT_EQ(attr(c, "organization_id").as_int(), org);
  EXPECT_EQ(attr(c, "first_name").to_text(), "Jane");
  EXPECT_EQ(attr(c, "last_name").to_text(), "Doe");
  EXPECT_EQ(attr(c, "title").to_text(), "Controller");
  EXPECT_EQ(rows(c, "contact_emails"), (Pairs{{"jane.doe@example.com", "AD Email"}}));
  EXPECT_EQ(rows(c, "contact_phones"), (Pairs{{"+15550100001", "AD Phone"}, {"+15550100002", "AD Phone"}}));
  EXPECT_EQ(attr(c, "ad_account_status").to_text(), "enabled");
  EXPECT_EQ(attr(c, "ad_last_logon_at").to_text(), "2024-01-02T00:00:00.000Z");
  EXPECT_EQ(attr(c, "ad_password_last_set_at").to_text(), "2024-01-01T00:00:00.000Z");
  // pwdLastSet + the domain's maxPwdAge (42 days, the fixture's domain object).
  EXPECT_EQ(attr(c, "ad_password_expires_at").to_text(), "2024-02-12T00:00:00.000Z");
  EXPECT_GT(count("SELECT COUNT(*) FROM audit_events WHERE actor = 'directory import' AND entity = 'contact' AND "
                  "action = 'create'"),
            0);
}

TEST_P(AdImport, MatchByEmail_EnrichesTheContactInsteadOfCreatingOne) {
  const auto existing = contact("J.", "Doe", "Jane.Doe@example.com");
  ldap->add_users({jane()});
  add_good_source();
  auto r = cairn({"import-ad", "--org", std::to_string(org)});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("created 0, enriched 1, skipped 0"), std::string::npos) << r.out;
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts"), 1);
  auto c = contact_record(existing);
  EXPECT_EQ(attr(c, "first_name").to_text(), "J.") << "enrichment never overwrites";
  EXPECT_EQ(attr(c, "title").to_text(), "Controller") << "an empty title is filled";
  EXPECT_EQ(rows(c, "contact_emails"), (Pairs{{"Jane.Doe@example.com", "Work"}}));
  EXPECT_EQ(rows(c, "contact_phones").size(), 2u);
  EXPECT_EQ(attr(c, "ad_account_status").to_text(), "enabled");
  EXPECT_GT(count("SELECT COUNT(*) FROM audit_events WHERE actor = 'directory import' AND action = 'update' AND "
                  "record_id = " + std::to_string(existing)),
            0);
}

TEST_P(AdImport, MatchByName_WhenTheEmailDiffers_AddsTheAdEmail) {
  const auto existing = contact("Jane", "Doe", "jd@old.example", "CFO");
  ldap->add_users({jane()});
  add_good_source();
  auto r = cairn({"import-ad", "--org", std::to_string(org)});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("created 0, enriched 1, skipped 0"), std::string::npos) << r.out;
  auto c = contact_record(existing);
  EXPECT_EQ(attr(c, "title").to_text(), "CFO");
  EXPECT_EQ(rows(c, "contact_emails"), (Pairs{{"jd@old.example", "Work"}, {"jane.doe@example.com", "AD Email"}}));
}

TEST_P(AdImport, DisabledAccountsAndComputers_AreSkippedWithTheReason) {
  auto disabled = person("old", "Old", "Timer", "old@example.com");
  disabled.user_account_control = 512 | 2;
  SeedUser computer;
  computer.account_name = "WS01$";
  computer.computer = true;
  computer.user_account_control = 4096;
  ldap->add_users({jane(), disabled, computer});
  add_good_source();
  auto r = cairn({"import-ad", "--org", std::to_string(org)});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("skip\told\tdisabled account\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("skip\tWS01$\tcomputer account\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("created 1, enriched 0, skipped 2 (3 directory users in 1 page)"), std::string::npos) << r.out;
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM contact_emails WHERE value = 'old@example.com'"), 0);
}

TEST_P(AdImport, Labels_R16_AreThePsaTypesOfTheOrganizationsTwoWaySettings) {
  {
    auto key = store::master_key_for(tdb->db());
    ASSERT_TRUE(key) << key.error().detail;
    soci::session s(tdb->db().pool());
    store::Transaction tx(s, tdb->db().dialect());
    store::Integrations integrations(s, tdb->db().dialect(), *key);
    store::IntegrationInput in;
    in.kind = "connectwise";
    in.name = "Acme CW";
    in.base_url = "https://cw.example";
    in.credentials = {{"company_id", "c"}, {"public_key", "p"}, {"private_key", "k"}, {"client_id", "i"}};
    core::SyncSettings settings;
    settings.two_way = true;
    settings.two_way_email_type = "Work";
    settings.two_way_phone_type = "Direct";
    in.settings = settings;
    auto i = integrations.create(in, {"test", std::nullopt});
    ASSERT_TRUE(i) << i.error().detail;
    std::string now = "2024-01-01T00:00:00.000Z";
    s << "INSERT INTO psa_links (integration_id, entity, local_id, psa_id, created_at, updated_at) "
         "VALUES (:i, 'organization', :o, '250', :c, :u)",
        soci::use(i->id), soci::use(org), soci::use(now), soci::use(now);
    tx.commit();
  }
  ldap->add_users({jane()});
  add_good_source();
  auto r = cairn({"import-ad", "--org", std::to_string(org)});
  ASSERT_EQ(r.code, 0) << r.err;
  auto c = contact_record(only_contact_id());
  EXPECT_EQ(rows(c, "contact_emails"), (Pairs{{"jane.doe@example.com", "Work"}}));
  EXPECT_EQ(rows(c, "contact_phones"), (Pairs{{"+15550100001", "Direct"}, {"+15550100002", "Direct"}}));
}

TEST_P(AdImport, WrongPassword_FailsCleanlyAndWritesNothing) {
  ldap->add_users({jane()});
  const std::string source = add_source(ldap->url(), "not-the-password", SlapdServer::kSuffix);
  const std::string before = written();
  auto r = cairn({"import-ad", "--source", source});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("the directory refused the bind DN or password for \"" + std::string(SlapdServer::kRootDn) + "\""),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("nothing was written"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not-the-password"), std::string::npos) << "the password is never printed";
  EXPECT_EQ(written(), before);
}

TEST_P(AdImport, UnreachableServer_SaysSoAndWritesNothing) {
  const auto port = ldap->port();
  ldap->stop();
  const std::string source = add_source("ldap://127.0.0.1:" + std::to_string(port), "pw", SlapdServer::kSuffix);
  const std::string before = written();
  auto r = cairn({"import-ad", "--source", source, "--timeout", "5"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot reach the directory server at ldap://127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << r.err;
  EXPECT_EQ(written(), before);
}

TEST_P(AdImport, BadBaseDn_SaysItDoesNotExistAndWritesNothing) {
  ldap->add_users({jane()});
  const std::string source =
      add_source(ldap->url(), SlapdServer::kRootPassword, "OU=Nowhere,DC=example,DC=com");
  const std::string before = written();
  auto r = cairn({"import-ad", "--source", source});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("the base DN \"OU=Nowhere,DC=example,DC=com\" does not exist in the directory"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(written(), before);
}

TEST_P(AdImport, Paging_ReadsMoreUsersThanOnePage) {
  std::vector<SeedUser> users;
  for (int i = 0; i < 120; ++i) {
    std::string n = std::to_string(i);
    users.push_back(person("user" + n, "First" + n, "Last" + n, "user" + n + "@example.com"));
  }
  ldap->add_users(users);
  add_good_source();
  auto r = cairn({"import-ad", "--org", std::to_string(org), "--page-size", "50"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("created 120, enriched 0, skipped 0 (120 directory users in 3 pages)"), std::string::npos)
      << r.out;
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts"), 120);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT value) FROM contact_emails"), 120);

  // A second import finds every user by email: nothing new is created.
  auto again = cairn({"import-ad", "--org", std::to_string(org), "--page-size", "50"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("created 0, enriched 120, skipped 0"), std::string::npos) << again.out;
  EXPECT_EQ(count("SELECT COUNT(*) FROM contacts"), 120);
}

TEST_P(AdImport, PlanAd_PreviewsEveryUserAndWritesNothing) {
  contact("Jane", "Doe", "jane.doe@example.com");
  auto disabled = person("old", "Old", "Timer", "old@example.com");
  disabled.user_account_control = 514;
  ldap->add_users({jane(), disabled, person("bob", "Bob", "Roe", "bob@example.com")});
  add_good_source();
  const std::string before = written();
  auto r = cairn({"plan-ad", "--org", std::to_string(org)});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("enrich\tjdoe\tcontact "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(matched by email)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("create\tbob\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("skip\told\tdisabled account"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("would have created 1, enriched 1, skipped 1"), std::string::npos) << r.out;
  EXPECT_EQ(written(), before);
}

TEST_P(AdImport, SourceCommands_NeverShowThePasswordAndStoreItSealed) {
  const std::string id = add_good_source();
  auto show = cairn({"directory-source", "show", id});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("password\tset\n"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("base-dn\t" + std::string(SlapdServer::kSuffix) + "\n"), std::string::npos) << show.out;
  auto list = cairn({"directory-source", "list"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find(id + "\t" + std::to_string(org) + "\tAcme AD\t"), std::string::npos) << list.out;
  for (const auto& text : {show.out, show.err, list.out})
    EXPECT_EQ(text.find(SlapdServer::kRootPassword), std::string::npos) << text;
  soci::session s(tdb->db().pool());
  std::string sealed;
  s << "SELECT password FROM directory_sources WHERE id = " + id, soci::into(sealed);
  EXPECT_EQ(sealed.rfind("v1:", 0), 0u);
  EXPECT_EQ(sealed.find(SlapdServer::kRootPassword), std::string::npos);
  EXPECT_GT(count("SELECT COUNT(*) FROM audit_events WHERE entity = 'directory_source' AND field = 'password' AND "
                  "new_value = '(changed)'"),
            0);

  auto bad = cairn({"directory-source", "add", "--org", std::to_string(org), "--name", "X", "--url", "http://dc",
                    "--bind-dn", "cn=x", "--password", "p", "--base-dn", "dc=x"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("url must be an ldap:// or ldaps:// URL"), std::string::npos) << bad.err;
  auto no_org = cairn({"directory-source", "add", "--org", "9999", "--name", "X", "--url", "ldap://dc", "--bind-dn",
                       "cn=x", "--password", "p", "--base-dn", "dc=x"});
  EXPECT_EQ(no_org.code, 2);
  EXPECT_NE(no_org.err.find("organization-id 9999 does not exist (--org)"), std::string::npos) << no_org.err;
  auto neither = cairn({"import-ad"});
  EXPECT_EQ(neither.code, 1);
  EXPECT_NE(neither.err.find("give --source ID or --org ID"), std::string::npos) << neither.err;

  ASSERT_EQ(cairn({"directory-source", "remove", id}).code, 0);
  auto gone = cairn({"directory-source", "show", id});
  EXPECT_EQ(gone.code, 1);
  EXPECT_NE(gone.err.find("no directory source with id " + id), std::string::npos) << gone.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, AdImport, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

// The API side: /directory_sources (admin only) and the contact's AD attributes.
class AdImportApi : public ::testing::TestWithParam<Backend> {
 public:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    setenv("CAIRN_MASTER_KEY", kKey.c_str(), 1);
    api = std::make_unique<test::ApiHarness>(GetParam());
    try {
      ldap = std::make_unique<SlapdServer>();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
  }
  void TearDown() override { unsetenv("CAIRN_MASTER_KEY"); }
  std::unique_ptr<test::ApiHarness> api;
  std::unique_ptr<SlapdServer> ldap;
};

json source_doc(const json& attributes) { return {{"data", {{"type", "directory_sources"}, {"attributes", attributes}}}}; }

TEST_P(AdImportApi, DirectorySources_CrudForAdminsAndContactsShowAdData) {
  const auto org = api->create("organizations", {{"name", "Acme"}});
  json attrs = {{"organization-id", org},        {"name", "Acme AD"},
                {"url", ldap->url()},             {"bind-dn", SlapdServer::kRootDn},
                {"password", SlapdServer::kRootPassword}, {"base-dn", SlapdServer::kSuffix},
                {"schedule-hours", 12}};
  EXPECT_EQ(api->call("POST", "/directory_sources", source_doc(attrs).dump(), api->editor_key).status, 403);
  auto made = api->post("/directory_sources", source_doc(attrs));
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_EQ(made.raw.find(SlapdServer::kRootPassword), std::string::npos);
  const auto& a = made.body["data"]["attributes"];
  EXPECT_EQ(a["password-set"], true);
  EXPECT_EQ(a["schedule-hours"], 12);
  EXPECT_EQ(a["start-tls"], false);
  const std::string id = made.body["data"]["id"];

  auto bad = api->post("/directory_sources", source_doc({{"organization-id", org}, {"name", "X"}, {"url", "ftp://x"},
                                                          {"bind-dn", "x"}, {"password", "p"}, {"base-dn", "x"}}));
  EXPECT_EQ(bad.status, 422) << bad.raw;
  EXPECT_EQ(bad.body["errors"][0]["source"]["pointer"], "/data/attributes/url") << bad.raw;

  auto patched = api->patch("/directory_sources/" + id, source_doc({{"filter", "(department=Finance)"}}));
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body["data"]["attributes"]["filter"], "(department=Finance)");
  auto listed = api->get("/directory_sources?filter[organization_id]=" + std::to_string(org));
  ASSERT_EQ(listed.status, 200) << listed.raw;
  EXPECT_EQ(listed.body["data"].size(), 1u);
  EXPECT_EQ(api->call("GET", "/directory_sources", "", api->reader_key).status, 403);

  // Import in-process through the stored source, then read the contact through the API.
  ldap->add_users({jane()});
  ASSERT_EQ(api->patch("/directory_sources/" + id, source_doc({{"filter", nullptr}})).status, 200);
  auto key = store::master_key_for(api->db());
  ASSERT_TRUE(key);
  std::optional<store::DirectorySource> source;
  {
    soci::session s(api->db().pool());
    source = store::DirectorySources(s, api->db().dialect(), *key).get(std::stoll(id));
  }
  ASSERT_TRUE(source);
  auto result = sync::run_ad_import(api->db(), *source, {});
  ASSERT_TRUE(result) << result.error().detail;
  EXPECT_EQ(result->created, 1);
  auto contacts = api->get("/contacts?filter[organization_id]=" + std::to_string(org));
  ASSERT_EQ(contacts.status, 200) << contacts.raw;
  ASSERT_EQ(contacts.body["data"].size(), 1u) << contacts.raw;
  const auto& c = contacts.body["data"][0]["attributes"];
  EXPECT_EQ(c["ad-account-status"], "enabled");
  EXPECT_EQ(c["ad-last-logon-at"], "2024-01-02T00:00:00.000Z");
  EXPECT_EQ(c["ad-password-last-set-at"], "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(c["ad-password-expires-at"], "2024-02-12T00:00:00.000Z");
  // AD data is the import's: a PATCH cannot set it.
  const std::string cid = contacts.body["data"][0]["id"];
  auto p = api->patch("/contacts/" + cid, {{"data", {{"type", "contacts"}, {"attributes", {{"ad-account-status", "disabled"}}}}}});
  EXPECT_EQ(api->get("/contacts/" + cid).body["data"]["attributes"]["ad-account-status"], "enabled") << p.raw;

  EXPECT_EQ(api->del("/directory_sources/" + id).status, 204);
  EXPECT_EQ(api->get("/directory_sources/" + id).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdImportApi, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
