#pragma once
// What the sync tests of every PSA share: a test database with a master key, an integration
// made in it, and read-backs of what a sync wrote.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <memory>
#include <set>
#include <string>

#include "integration/sim_harness.h"
#include "store/integrations.h"
#include "store/secrets.h"
#include "support/test_database.h"
#include "sync/connectors.h"
#include "sync/engine.h"

namespace cairn::test {

inline constexpr const char* kTestMasterKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

// An integration of the ConnectWise emulator `sim`, syncing what `settings` enable.
inline store::IntegrationInput connectwise_input(const CwSim& sim, core::SyncSettings settings) {
  store::IntegrationInput in;
  in.kind = "connectwise";
  in.name = "Demo CW";
  in.base_url = sim.base_url();
  in.credentials = {{"company_id", sim.options().company_id}, {"public_key", sim.options().public_key},
                    {"private_key", sim.options().private_key}, {"client_id", sim.options().client_id}};
  in.settings = std::move(settings);
  return in;
}

// An integration of the Autotask emulator `sim` (its zone URL given, no look-up), syncing what `settings` enable.
inline store::IntegrationInput autotask_input(const AtSim& sim, core::SyncSettings settings) {
  store::IntegrationInput in;
  in.kind = "autotask";
  in.name = "Demo AT";
  in.base_url = sim.base_url() + "/atservicesrest/";
  in.credentials = {{"username", sim.options().username}, {"secret", sim.options().secret},
                    {"integration_code", sim.options().integration_code}};
  in.settings = std::move(settings);
  return in;
}

class SyncHarness {
 public:
  explicit SyncHarness(Backend backend) {
    // PostgreSQL keeps no key file beside the data: the key comes from the environment.
    setenv("CAIRN_MASTER_KEY", kTestMasterKey, 1);
    tdb_ = std::make_unique<TestDatabase>(backend);
    auto key = store::master_key_for(tdb_->db());
    if (!key.ok()) throw std::runtime_error(key.error().detail);
    master_ = std::make_unique<store::MasterKey>(key.value());
  }

  // Creates an integration in db (this harness's own when null); throws with the reason on failure.
  store::Integration create_integration(const store::IntegrationInput& in, store::Database* db = nullptr) {
    store::Database& d = db ? *db : tdb_->db();
    soci::session s(d.pool());
    store::Transaction tx(s, d.dialect());
    store::Integrations integrations(s, d.dialect(), *master_);
    auto created = integrations.create(in, {"test", std::nullopt}, "");
    if (!created.ok()) throw std::runtime_error(created.error().detail);
    tx.commit();
    return created.value();
  }
  // The same integration again, in another database.
  store::Integration copy_integration(const store::Integration& i, store::Database& db) {
    store::IntegrationInput in;
    in.kind = i.kind;
    in.name = i.name;
    in.base_url = i.base_url;
    for (const auto& [k, v] : i.credentials) in.credentials[k] = v;
    in.settings = i.settings;
    return create_integration(in, &db);
  }

  // A run of the integration through make_source, as `cairn sync` builds it.
  sync::RunReport sync(const store::Integration& i, bool full = true) {
    auto source = sync::make_source(i);
    sync::RunOptions o;
    o.full = full;
    return sync::run_sync(db(), i, *source, o);
  }
  // Points the integration, here and in the store, at another emulator.
  void set_base_url(store::Integration& i, const std::string& url) {
    i.base_url = url;
    soci::session s(db().pool());
    s << "UPDATE integrations SET base_url = :u WHERE id = :i", soci::use(i.base_url), soci::use(i.id);
  }

  static long long count(store::Database& db, const std::string& sql) {
    soci::session s(db.pool());
    long long n = 0;
    s << sql, soci::into(n);
    return n;
  }
  long long count(const std::string& sql) { return count(tdb_->db(), sql); }
  // The store holds exactly these organizations, each name as often as given.
  void expect_organizations_exactly(const std::multiset<std::string>& expected) {
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(count("SELECT COUNT(*) FROM organizations"), static_cast<long long>(expected.size()));
    for (const auto& name : expected)
      EXPECT_EQ(count("SELECT COUNT(*) FROM organizations WHERE name = '" + name + "'"),
                static_cast<long long>(expected.count(name)))
          << name;
  }
  // The one text value a query selects, "(null)" for none.
  static std::string text(store::Database& db, const std::string& sql) {
    soci::session s(db.pool());
    std::string v;
    soci::indicator ind = soci::i_null;
    s << sql, soci::into(v, ind);
    return ind == soci::i_ok ? v : "(null)";
  }
  // R9: configurations whose contact belongs to another organization (a sync leaves none).
  long long configurations_with_another_organizations_contact() {
    return count("SELECT COUNT(*) FROM configurations g JOIN contacts c ON c.id = g.contact_id "
                 "WHERE c.organization_id <> g.organization_id");
  }
  // Synced records minus PSA links: 0 when a sync that wrote only synced records linked each once.
  long long records_without_one_link() {
    return count("SELECT (SELECT COUNT(*) FROM organizations) + (SELECT COUNT(*) FROM locations) + "
                 "(SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM configurations) - "
                 "(SELECT COUNT(*) FROM psa_links)");
  }
  std::string text(const std::string& sql) { return text(tdb_->db(), sql); }
  // The documentation, its links and its audit trail: everything a sync may write.
  std::string documentation() {
    soci::session s(tdb_->db().pool());
    std::string out;
    for (const char* t : {"organizations", "locations", "contacts", "contact_emails", "contact_phones", "configurations",
                          "psa_links", "audit_events", "organization_types", "configuration_types", "manufacturers"}) {
      soci::rowset<soci::row> rs = (s.prepare << std::string("SELECT * FROM ") + t + " ORDER BY id");
      out += std::string("== ") + t + "\n";
      for (const auto& row : rs) {
        for (size_t i = 0; i < row.size(); ++i) {
          if (row.get_indicator(i) == soci::i_null) out += "NULL|";
          else if (row.get_properties(i).get_data_type() == soci::dt_string) out += row.get<std::string>(i) + "|";
          else if (row.get_properties(i).get_data_type() == soci::dt_integer) out += std::to_string(row.get<int>(i)) + "|";
          else out += std::to_string(row.get<long long>(i)) + "|";
        }
        out += "\n";
      }
    }
    return out;
  }

  TestDatabase& tdb() { return *tdb_; }
  store::Database& db() { return tdb_->db(); }
  store::MasterKey& master() { return *master_; }

 private:
  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<store::MasterKey> master_;
};

}  // namespace cairn::test
