#pragma once
// A fresh, empty, migrated database per test, on SQLite or PostgreSQL, so the same store and API
// tests run on both. PostgreSQL comes from CAIRN_TEST_PG_URL (scripts/test sets it); each test
// gets its own schema, so tests run in parallel on one server.
#include <memory>
#include <string>

#include "store/database.h"

namespace cairn::test {

enum class Backend { Sqlite, Postgres };
std::string backend_name(Backend b);

class TestDatabase {
 public:
  explicit TestDatabase(Backend b);
  ~TestDatabase();
  // The --db argument that opens this database from another process.
  const std::string& spec() const { return spec_; }
  store::Database& db() { return *db_; }
  std::unique_ptr<store::Database> open_another(size_t pool = 2) const;

 private:
  Backend backend_;
  std::string spec_;
  std::string dir_;
  std::string schema_;
  std::unique_ptr<store::Database> db_;
};

// Whether PostgreSQL tests can run here; when CAIRN_TEST_PG_URL is unset they are skipped,
// unless CAIRN_REQUIRE_PG=1 (as in CI), where they fail instead.
bool postgres_available();
std::string temp_dir(const std::string& prefix);

}  // namespace cairn::test

// Runs a parameterised suite on both backends; the PostgreSQL half skips (or fails in CI) without a server.
#define CAIRN_SKIP_WITHOUT_BACKEND(backend)                                                         \
  do {                                                                                              \
    if ((backend) == ::cairn::test::Backend::Postgres && !::cairn::test::postgres_available()) \
      GTEST_SKIP() << "CAIRN_TEST_PG_URL is not set";                                              \
  } while (0)
