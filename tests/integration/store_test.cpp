// The store's rules, run on SQLite and on PostgreSQL through one code path.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "core/schema.h"
#include "store/api_keys.h"
#include "store/database.h"
#include "store/deferred_indexes.h"
#include "store/record_inserter.h"
#include "store/row_inserter.h"
#include "store/documents.h"
#include "store/migrations.h"
#include "store/prepared.h"
#include "support/test_database.h"

using namespace cairn;
using test::Backend;

namespace {

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    tdb = std::make_unique<test::TestDatabase>(GetParam());
    session = std::make_unique<soci::session>(tdb->db().pool());
    docs = std::make_unique<store::Documents>(*session, tdb->db().dialect());
  }
  std::int64_t create(const std::string& type, store::Changes c) {
    store::Transaction tx(*session, tdb->db().dialect());
    auto r = docs->create(core::entity(type), c, actor);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    tx.commit();
    return r.ok() ? r.value() : 0;
  }
  const core::Field* f(const std::string& type, const std::string& name) { return core::entity(type).field(name); }
  long long count(const std::string& table) {
    long long n = 0;
    *session << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return n;
  }

  std::unique_ptr<test::TestDatabase> tdb;
  std::unique_ptr<soci::session> session;
  std::unique_ptr<store::Documents> docs;
  store::Actor actor{"test", std::nullopt};
};

TEST_P(StoreTest, Migrations_RunToLatestAndAreIdempotent) {
  EXPECT_EQ(store::current_version(*session), store::latest_migration());
  EXPECT_EQ(store::run_migrations(*session, tdb->db().dialect()), store::latest_migration());
}

// Version 7 clears the links an organization's delete used to leave behind, and nothing else.
TEST_P(StoreTest, Migration7_DropsLinksNamingNoRecord_AndKeepsTheRest) {
  auto type_id = create("configuration_types", {{f("configuration_types", "name"), core::Value("Server")}});
  auto org = create("organizations", {{f("organizations", "name"), core::Value("Acme")}});
  auto kept = create("configurations", {{f("configurations", "organization_id"), core::Value(org)},
                                        {f("configurations", "name"), core::Value("srv-1")},
                                        {f("configurations", "configuration_type_id"), core::Value(type_id)}});
  *session << "INSERT INTO integrations (kind, name, created_at, updated_at) VALUES ('connectwise', 'cw', 't', 't')";
  long long integration = 0;
  *session << "SELECT MAX(id) FROM integrations", soci::into(integration);
  auto add_link = [&](const std::string& entity, long long local, const std::string& psa) {
    *session << "INSERT INTO psa_links (integration_id, entity, local_id, psa_id, created_at, updated_at) "
                "VALUES (:i, :e, :l, :p, 't', 't')",
        soci::use(integration), soci::use(entity), soci::use(local), soci::use(psa);
  };
  add_link("organization", org, "1");
  add_link("configuration", kept, "10");
  for (const char* entity : {"organization", "location", "contact", "configuration"}) add_link(entity, 999999, "gone");
  *session << "DELETE FROM schema_migrations WHERE version = 7";
  ASSERT_EQ(store::run_migrations(*session, tdb->db().dialect()), store::latest_migration());
  long long left = 0;
  *session << "SELECT COUNT(*) FROM psa_links WHERE psa_id = 'gone'", soci::into(left);
  EXPECT_EQ(left, 0);
  EXPECT_EQ(count("psa_links"), 2);
}

TEST_P(StoreTest, Organization_CreateGetUpdateDelete_WithAuditPerField) {
  auto type_id = create("organization_types", {{f("organization_types", "name"), core::Value("Customer")}});
  auto org = create("organizations", {{f("organizations", "name"), core::Value("Acme")},
                                      {f("organizations", "organization_type_id"), core::Value(type_id)}});
  auto rec = docs->records().get(core::entity("organizations"), org);
  ASSERT_TRUE(rec);
  EXPECT_EQ((*rec)[*f("organizations", "name")].as_string(), "Acme");
  EXPECT_EQ((*rec)[*f("organizations", "organization_type_name")].as_string(), "Customer");
  EXPECT_EQ((*rec)[*f("organizations", "primary")].as_bool(), false);
  EXPECT_FALSE((*rec)[*f("organizations", "created_at")].is_null());

  {
    store::Transaction tx(*session, tdb->db().dialect());
    auto r = docs->update(core::entity("organizations"), org, {{f("organizations", "short_name"), core::Value("ACME")}}, actor);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ((*r)[*f("organizations", "short_name")].as_string(), "ACME");
    tx.commit();
  }
  std::string old_value, new_value;
  soci::indicator old_ind;
  *session << "SELECT old_value, new_value FROM audit_events WHERE entity = 'organization' AND action = 'update' AND field = 'short_name'",
      soci::into(old_value, old_ind), soci::into(new_value);
  EXPECT_EQ(old_ind, soci::i_null);
  EXPECT_EQ(new_value, "ACME");

  // An update that changes nothing writes no audit row.
  auto before = count("audit_events");
  {
    store::Transaction tx(*session, tdb->db().dialect());
    ASSERT_TRUE(docs->update(core::entity("organizations"), org, {{f("organizations", "short_name"), core::Value("ACME")}}, actor).ok());
    tx.commit();
  }
  EXPECT_EQ(count("audit_events"), before);

  store::Transaction tx(*session, tdb->db().dialect());
  ASSERT_TRUE(docs->remove(core::entity("organizations"), org, actor).ok());
  tx.commit();
  EXPECT_FALSE(docs->records().get(core::entity("organizations"), org));
}

TEST_P(StoreTest, Reference_ToMissingRecord_IsRefusedAndNothingWritten) {
  store::Transaction tx(*session, tdb->db().dialect());
  auto r = docs->create(core::entity("organizations"), {{f("organizations", "name"), core::Value("Acme")},
                                                        {f("organizations", "organization_type_id"), core::Value(999)}},
                        actor);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().pointer, "/data/attributes/organization-type-id");
  EXPECT_NE(r.error().detail.find("999 does not exist"), std::string::npos);
  EXPECT_EQ(count("organizations"), 0);
}

TEST_P(StoreTest, Location_OfAnotherOrganization_IsRefused) {
  auto a = create("organizations", {{f("organizations", "name"), core::Value("A")}});
  auto b = create("organizations", {{f("organizations", "name"), core::Value("B")}});
  auto loc_b = create("locations", {{f("locations", "organization_id"), core::Value(b)}, {f("locations", "name"), core::Value("HQ")}});
  store::Transaction tx(*session, tdb->db().dialect());
  auto r = docs->create(core::entity("contacts"), {{f("contacts", "organization_id"), core::Value(a)},
                                                   {f("contacts", "first_name"), core::Value("Ann")},
                                                   {f("contacts", "location_id"), core::Value(loc_b)}},
                        actor);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("belongs to another organization"), std::string::npos) << r.error().detail;
}

TEST_P(StoreTest, Contact_EmailsAndPhones_RoundTripAndReplace) {
  auto org = create("organizations", {{f("organizations", "name"), core::Value("A")}});
  core::Rows emails = {{core::Value("ann@a.example"), core::Value("Work"), core::Value(true)}};
  core::Rows phones = {{core::Value("(555) 123-4567"), core::Value("12"), core::Value("Office"), core::Value(), core::Value(true)}};
  auto c = create("contacts", {{f("contacts", "organization_id"), core::Value(org)},
                               {f("contacts", "first_name"), core::Value("Ann")},
                               {f("contacts", "last_name"), core::Value("Lee")},
                               {f("contacts", "contact_emails"), core::Value(emails)},
                               {f("contacts", "contact_phones"), core::Value(phones)}});
  auto rec = docs->records().get(core::entity("contacts"), c);
  ASSERT_TRUE(rec);
  EXPECT_EQ((*rec)[*f("contacts", "name")].as_string(), "Ann Lee");
  const auto& got_phones = (*rec)[*f("contacts", "contact_phones")].as_rows();
  ASSERT_EQ(got_phones.size(), 1u);
  EXPECT_EQ(got_phones[0][0].as_string(), "5551234567");  // separators stripped
  EXPECT_EQ(got_phones[0][3].as_string(), "phone");        // label type defaults to phone
  const auto& got_emails = (*rec)[*f("contacts", "contact_emails")].as_rows();
  ASSERT_EQ(got_emails.size(), 1u);
  EXPECT_EQ(got_emails[0][0].as_string(), "ann@a.example");

  store::Transaction tx(*session, tdb->db().dialect());
  auto r = docs->update(core::entity("contacts"), c, {{f("contacts", "contact_emails"), core::Value(core::Rows{})}}, actor);
  ASSERT_TRUE(r.ok());
  tx.commit();
  EXPECT_TRUE((*r)[*f("contacts", "contact_emails")].as_rows().empty());
  EXPECT_EQ(count("contact_emails"), 0);
}

TEST_P(StoreTest, List_FiltersSortsAndPages) {
  for (const char* n : {"Delta", "alpha", "Charlie", "Bravo", "Echo"})
    create("organizations", {{f("organizations", "name"), core::Value(n)}});
  store::ListQuery q;
  q.sort = {{f("organizations", "name"), true}};
  q.page_size = 2;
  q.page_number = 2;
  auto page = docs->records().list(core::entity("organizations"), q);
  EXPECT_EQ(page.total, 5);
  ASSERT_EQ(page.records.size(), 2u);
  // Byte order on both databases: lower case sorts after upper case.
  EXPECT_EQ(page.records[0][*f("organizations", "name")].as_string(), "Delta");
  EXPECT_EQ(page.records[1][*f("organizations", "name")].as_string(), "Charlie");

  store::Filter flt;
  flt.field = f("organizations", "name");
  flt.values = {core::Value("Echo"), core::Value("Bravo")};
  q = {};
  q.filters = {flt};
  page = docs->records().list(core::entity("organizations"), q);
  EXPECT_EQ(page.total, 2);
}

TEST_P(StoreTest, LookupName_MustBeUnique) {
  create("configuration_types", {{f("configuration_types", "name"), core::Value("Server")}});
  store::Transaction tx(*session, tdb->db().dialect());
  auto r = docs->create(core::entity("configuration_types"), {{f("configuration_types", "name"), core::Value("Server")}}, actor);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("already been taken"), std::string::npos);
}

TEST_P(StoreTest, ApiKeys_StoredHashedFoundByKeyAndRevocable) {
  auto k = store::create_api_key(*session, "ops", store::Role::Editor);
  EXPECT_EQ(k.secret.rfind("cairn_", 0), 0u);
  std::string stored_hash;
  *session << "SELECT key_hash FROM api_keys WHERE id = :id", soci::use(k.key.id), soci::into(stored_hash);
  EXPECT_EQ(stored_hash.find(k.secret), std::string::npos);
  auto found = store::find_api_key(*session, k.secret);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->role, store::Role::Editor);
  EXPECT_FALSE(store::find_api_key(*session, k.secret + "x"));
  EXPECT_TRUE(store::revoke_api_key(*session, k.key.id));
  EXPECT_FALSE(store::revoke_api_key(*session, k.key.id));
  EXPECT_FALSE(store::find_api_key(*session, k.secret));
  ASSERT_EQ(store::list_api_keys(*session).size(), 1u);
  EXPECT_TRUE(store::list_api_keys(*session)[0].revoked_at);
}

TEST_P(StoreTest, WriteCache_GrowsTheSessionsCacheWhileItLives_ThenGivesItBack) {
  if (tdb->db().dialect() != store::Dialect::Sqlite) {
    EXPECT_NO_THROW(store::WriteCache(*session, tdb->db().dialect(), 64));  // PostgreSQL: nothing to do
    return;
  }
  auto cache_size = [&] {
    int kib = 0;
    *session << "PRAGMA cache_size", soci::into(kib);
    return kib;
  };
  const int before = cache_size();
  EXPECT_EQ(before, -16000);
  {
    store::WriteCache cache(*session, tdb->db().dialect(), 64);
    EXPECT_EQ(cache_size(), -64 * 1024);
    create("organizations", {{f("organizations", "name"), core::Value("Acme")}});
  }
  EXPECT_EQ(cache_size(), before);
  EXPECT_EQ(count("organizations"), 1);
}

// SQLite: the indexes a first sync builds after loading. Each is migration 1's own definition; a
// run drops those of the tables that are empty when it starts and builds them again when it ends;
// and an index a killed run left dropped is built when the database is next opened.
TEST_P(StoreTest, DeferredIndexes_DroppedOnEmptyTables_BuiltAgain_AndRestoredOnOpen) {
  const auto d = tdb->db().dialect();
  auto index_sql = [&](const std::string& name) -> std::optional<std::string> {
    std::string sql;
    soci::indicator ind = soci::i_null;
    *session << "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n", soci::use(name), soci::into(sql, ind);
    if (!session->got_data() || ind != soci::i_ok) return std::nullopt;
    return sql;
  };
  if (d != store::Dialect::Sqlite) {
    store::DeferredIndexes deferred(*session, d);  // PostgreSQL keeps its indexes
    EXPECT_TRUE(deferred.deferred().empty());
    return;
  }
  ASSERT_FALSE(store::deferrable_indexes().empty());
  for (const auto& i : store::deferrable_indexes())
    EXPECT_EQ(index_sql(i.name), std::string("CREATE INDEX ") + i.name + " ON " + i.definition) << i.name;

  // Contacts has a row, so its index stays; the others go, and come back.
  auto org = create("organizations", {{f("organizations", "name"), core::Value("Acme")}});
  create("contacts", {{f("contacts", "organization_id"), core::Value(org)}, {f("contacts", "first_name"), core::Value("Ann")}});
  {
    store::DeferredIndexes deferred(*session, d);
    EXPECT_EQ(deferred.deferred(),
              (std::vector<std::string>{"configurations_org", "configurations_serial", "contact_emails_value"}));
    EXPECT_FALSE(index_sql("configurations_org"));
    EXPECT_FALSE(index_sql("contact_emails_value"));
    EXPECT_TRUE(index_sql("contacts_org"));
    deferred.restore();
    EXPECT_TRUE(deferred.deferred().empty());
    for (const auto& i : store::deferrable_indexes()) EXPECT_TRUE(index_sql(i.name)) << i.name;
  }
  {
    // A run that never calls restore() (its thread unwinding) still builds them when it ends.
    store::DeferredIndexes deferred(*session, d);
    EXPECT_FALSE(index_sql("configurations_serial"));
  }
  for (const auto& i : store::deferrable_indexes()) EXPECT_TRUE(index_sql(i.name)) << i.name;

  // A killed run: the index stays dropped until the database is opened again.
  *session << "DROP INDEX configurations_serial";
  auto reopened = tdb->open_another();
  EXPECT_EQ(index_sql("configurations_serial"), "CREATE INDEX configurations_serial ON configurations (serial_number)");
}

// Rows go in whole groups of kRowsPerStatement and then one at a time, in the order they were
// added, NULLs as NULLs; a row of the wrong size is refused before anything is written.
TEST_P(StoreTest, RowInserter_WritesEveryRowInOrder_InGroupsAndSingly) {
  store::StatementCache statements(*session);
  store::RowInserter rows(statements, "organization_types", {"name", "created_at", "updated_at"});
  const size_t n = 2 * store::RowInserter::kRowsPerStatement + 5;
  for (size_t i = 0; i < n; ++i)
    rows.add({"type " + std::to_string(1000 + i), "2026-12-03T00:00:00Z",
              i % 2 ? std::optional<std::string>("2026-12-04T00:00:00Z") : std::optional<std::string>("x")});
  EXPECT_EQ(rows.pending(), n);
  EXPECT_THROW(rows.add({"too short"}), std::invalid_argument);
  {
    store::Transaction tx(*session, tdb->db().dialect());
    rows.flush();
    tx.commit();
  }
  EXPECT_EQ(rows.pending(), 0u);
  EXPECT_EQ(count("organization_types"), static_cast<long long>(n));
  std::vector<std::string> names(n);
  *session << "SELECT name FROM organization_types ORDER BY id", soci::into(names);
  ASSERT_EQ(names.size(), n);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(names[i], "type " + std::to_string(1000 + i));
  EXPECT_EQ(count("organization_types WHERE updated_at = 'x'"), static_cast<long long>((n + 1) / 2));

  // NULL where a column allows it (audit_events.field), through the same path.
  store::RowInserter audit(statements, "audit_events", {"at", "actor", "entity", "record_id", "action", "field"});
  audit.add({"2026-12-03T00:00:00Z", "test", "organization", "1", "create", std::nullopt});
  audit.flush();
  EXPECT_EQ(count("audit_events WHERE actor = 'test' AND field IS NULL"), 1);
}

// Records get their ids when queued: past every id the table ever used, the ids they are written
// with, child rows under them; rows of different column sets go in their own INSERTs; a queued
// record is "waiting" until flush(), and later ordinary inserts carry on after the queued ids.
TEST_P(StoreTest, RecordInserter_WritesEachRecordWithTheIdItWasGiven) {
  const auto& orgs = core::entity("organizations");
  const auto& contacts = core::entity("contacts");
  auto gone = create("organizations", {{f("organizations", "name"), core::Value("Deleted Ltd")}});
  ASSERT_TRUE(docs->records().remove(orgs, gone));
  const std::string now = "2026-12-03T00:00:00Z";

  store::StatementCache statements(*session);
  const size_t n = store::RowInserter::kRowsPerStatement + 3;
  std::vector<std::int64_t> org_ids, contact_ids;
  {
    store::Transaction tx(*session, tdb->db().dialect());
    store::RecordInserter inserter(*session, tdb->db().dialect(), statements);
    EXPECT_TRUE(inserter.empty());
    for (size_t i = 0; i < n; ++i) {
      store::Changes c{{f("organizations", "name"), core::Value("Org " + std::to_string(i))}};
      if (i % 2) c.emplace_back(f("organizations", "short_name"), core::Value("O" + std::to_string(i)));
      org_ids.push_back(inserter.add(orgs, c, now));
    }
    EXPECT_GT(org_ids.front(), gone);
    for (size_t i = 1; i < n; ++i) EXPECT_GT(org_ids[i], org_ids[i - 1]);
    EXPECT_TRUE(inserter.waiting("organizations", org_ids.back()));
    EXPECT_FALSE(inserter.waiting("organizations", gone));
    EXPECT_FALSE(inserter.waiting("contacts", org_ids.back()));
    EXPECT_EQ(count("organizations"), 0);

    // Contacts point at the organizations, so those are written first, as the engine does.
    inserter.flush();
    EXPECT_FALSE(inserter.waiting("organizations", org_ids.back()));
    for (size_t i = 0; i < n; ++i) {
      core::Rows emails{{core::Value("c" + std::to_string(i) + "@example.com"), core::Value("Work"), core::Value(true)}};
      if (i % 3 == 0) emails.push_back({core::Value("home" + std::to_string(i) + "@example.com")});
      contact_ids.push_back(inserter.add(contacts,
                                         {{f("contacts", "organization_id"), core::Value(org_ids[i])},
                                          {f("contacts", "first_name"), core::Value("First " + std::to_string(i))},
                                          {f("contacts", "contact_emails"), core::Value(std::move(emails))}},
                                         now));
    }
    EXPECT_FALSE(inserter.empty());
    inserter.flush();
    EXPECT_TRUE(inserter.empty());
    tx.commit();
  }
  for (size_t i = 0; i < n; ++i) {
    auto org = docs->records().get(orgs, org_ids[i]);
    ASSERT_TRUE(org) << org_ids[i];
    EXPECT_EQ((*org)[*f("organizations", "name")].as_string(), "Org " + std::to_string(i));
    EXPECT_EQ((*org)[*f("organizations", "short_name")].is_null(), i % 2 == 0);
    EXPECT_EQ((*org)[*f("organizations", "created_at")].to_text(), now);
    auto contact = docs->records().get(contacts, contact_ids[i]);
    ASSERT_TRUE(contact) << contact_ids[i];
    EXPECT_EQ((*contact)[*f("contacts", "organization_id")].as_int(), org_ids[i]);
    const auto& emails = (*contact)[*f("contacts", "contact_emails")].as_rows();
    ASSERT_EQ(emails.size(), i % 3 == 0 ? 2u : 1u);
    EXPECT_EQ(emails[0][0].as_string(), "c" + std::to_string(i) + "@example.com");
    EXPECT_TRUE(emails[0][2].as_bool());
    if (i % 3 == 0) {
      EXPECT_EQ(emails[1][0].as_string(), "home" + std::to_string(i) + "@example.com");
    }
  }
  EXPECT_EQ(count("organizations"), static_cast<long long>(n));
  EXPECT_EQ(count("contact_emails"), static_cast<long long>(n + (n + 2) / 3));
  auto after = create("organizations", {{f("organizations", "name"), core::Value("After")}});
  EXPECT_GT(after, org_ids.back());
}

TEST_P(StoreTest, RecordInserter_BeginsEachTransactionAfresh_DroppingWhatAFailedOneLeft) {
  const auto& orgs = core::entity("organizations");
  const std::string now = "2026-12-03T00:00:00Z";
  store::StatementCache statements(*session);
  store::RecordInserter inserter(*session, tdb->db().dialect(), statements);  // one for three transactions
  auto write = [&](const std::string& name, bool commit) {
    store::Transaction tx(*session, tdb->db().dialect());
    inserter.begin();
    auto id = inserter.add(orgs, {{f("organizations", "name"), core::Value(name)}}, now);
    if (commit) {
      inserter.flush();
      tx.commit();
    }
    return id;  // not committed: the transaction rolls back, its row never written
  };
  auto first = write("Kept 1", true);
  write("Lost", false);
  auto second = write("Kept 2", true);
  EXPECT_GT(second, first);
  EXPECT_EQ(count("organizations"), 2);
  auto kept = docs->records().get(orgs, second);
  ASSERT_TRUE(kept);
  EXPECT_EQ((*kept)[*f("organizations", "name")].as_string(), "Kept 2");
  long long lost = 0;
  *session << "SELECT COUNT(*) FROM organizations WHERE name = 'Lost'", soci::into(lost);
  EXPECT_EQ(lost, 0);
}

TEST_P(StoreTest, PreparedStatement_OnSqlite_FailsWithSqlitesMessage_AndRunsAgainAfter) {
  // SQLite's statements run through SQLite's API, not SOCI's (PostgreSQL's do; SOCI's PostgreSQL
  // backend leaks a failed statement's parameter copies, which LeakSanitizer would report here).
  if (tdb->db().dialect() != store::Dialect::Sqlite) GTEST_SKIP() << "PostgreSQL's go through SOCI";
  store::StatementCache statements(*session);
  auto& insert = statements.get("INSERT INTO organization_types (name, created_at, updated_at) VALUES (:n, :c, :u)", 3);
  auto run = [&](const std::string& name) {
    insert.set(0, name);
    insert.set(1, std::string("2026-12-03T00:00:00Z"));
    insert.set(2, std::string("2026-12-03T00:00:00Z"));
    insert.execute();
  };
  run("Customer");
  EXPECT_EQ(insert.affected_rows(), 1);
  try {
    run("Customer");
    FAIL() << "a second Customer was inserted";
  } catch (const soci::soci_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("UNIQUE constraint failed: organization_types.name"), std::string::npos) << what;
  }
  run("Vendor");
  EXPECT_EQ(count("organization_types"), 2);
  insert.set(0, std::nullopt);  // NULL into a NOT NULL column
  try {
    insert.execute();
    FAIL() << "a type without a name was inserted";
  } catch (const soci::soci_error& e) {
    EXPECT_NE(std::string(e.what()).find("NOT NULL constraint failed"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count("organization_types"), 2);
}

// Each parameter is bound as its own type on SQLite and as text on PostgreSQL; either way the
// column's type decides what is stored, as when every parameter was text.
TEST_P(StoreTest, PreparedStatement_IntegerTextAndNullParams_AreStoredAsTheColumnsTypeSays) {
  store::StatementCache statements(*session);
  auto& insert = statements.get(
      "INSERT INTO audit_events (at, actor, run_id, entity, record_id, action, field, old_value) "
      "VALUES (:a, :b, :c, :d, :e, :f, :g, :h)",
      8);
  const std::vector<store::Param> row = {"2026-12-04T00:00:00Z", "test", std::optional<std::int64_t>(),
                                         "configuration", std::int64_t{9007199254740993}, "update", "name",
                                         std::int64_t{-42}};
  for (size_t i = 0; i < row.size(); ++i) insert.set(i, row[i]);
  insert.execute();
  long long record_id = 0;
  std::string old_value;
  soci::indicator run_ind = soci::i_ok;
  long long run_id = 0;
  *session << "SELECT record_id, old_value, run_id FROM audit_events WHERE actor = 'test'", soci::into(record_id),
      soci::into(old_value), soci::into(run_id, run_ind);
  EXPECT_EQ(record_id, 9007199254740993LL);  // past a double's exact integers: never went through one
  EXPECT_EQ(old_value, "-42");               // an integer into a text column is stored as its text
  EXPECT_EQ(run_ind, soci::i_null);
  if (tdb->db().dialect() == store::Dialect::Sqlite) {
    std::string types;
    *session << "SELECT typeof(record_id) || ' ' || typeof(old_value) FROM audit_events WHERE actor = 'test'",
        soci::into(types);
    EXPECT_EQ(types, "integer text");
  }
}

TEST_P(StoreTest, CheckpointWal_LeavesASessionWithAnOpenStatementWorking) {
  for (const char* name : {"A", "B", "C"}) create("organization_types", {{f("organization_types", "name"), core::Value(name)}});
  soci::rowset<std::string> names = (session->prepare << "SELECT name FROM organization_types ORDER BY name");
  auto it = names.begin();
  ASSERT_NE(it, names.end());
  EXPECT_EQ(*it, "A");
  // A checkpoint cannot run while this session reads; it is skipped, not an error.
  EXPECT_NO_THROW(store::checkpoint_wal(*session, tdb->db().dialect()));
  ++it;
  ASSERT_NE(it, names.end());
  EXPECT_EQ(*it, "B");
  soci::session other(tdb->db().pool());
  EXPECT_NO_THROW(store::checkpoint_wal(other, tdb->db().dialect()));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
