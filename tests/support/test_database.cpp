#include "support/test_database.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/postgresql/soci-postgresql.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace cairn::test {

std::string backend_name(Backend b) { return b == Backend::Sqlite ? "SQLite" : "PostgreSQL"; }

bool postgres_available() {
  const char* url = std::getenv("CAIRN_TEST_PG_URL");
  if (url && *url) return true;
  const char* require = std::getenv("CAIRN_REQUIRE_PG");
  if (require && std::string(require) == "1") ADD_FAILURE() << "CAIRN_REQUIRE_PG=1 but CAIRN_TEST_PG_URL is not set";
  return false;
}

std::string temp_dir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

namespace {
std::string unique_name() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return "t" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}
}  // namespace

TestDatabase::TestDatabase(Backend b) : backend_(b) {
  if (b == Backend::Sqlite) {
    dir_ = temp_dir("cairn-test");
    spec_ = dir_ + "/cairn.db";
  } else {
    std::string url = std::getenv("CAIRN_TEST_PG_URL");
    schema_ = unique_name();
    soci::session admin(soci::postgresql, store::postgres_keywords(url));
    admin << "SET client_min_messages TO WARNING";
    admin << "CREATE SCHEMA " + schema_;
    spec_ = url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
  }
  db_ = store::Database::open(spec_, 4);
}

std::unique_ptr<store::Database> TestDatabase::open_another(size_t pool) const { return store::Database::open(spec_, pool); }

TestDatabase::~TestDatabase() {
  db_.reset();
  try {
    if (backend_ == Backend::Postgres) {
      soci::session admin(soci::postgresql, store::postgres_keywords(std::getenv("CAIRN_TEST_PG_URL")));
      admin << "SET client_min_messages TO WARNING";
      admin << "DROP SCHEMA " + schema_ + " CASCADE";
    } else if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  } catch (...) {
    // a leftover schema or temp dir is harmless
  }
}

}  // namespace cairn::test
