#include "store/database.h"

#include <libpq-fe.h>
#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <stdexcept>

#include "store/deferred_indexes.h"
#include "store/migrations.h"

namespace cairn::store {

bool is_postgres_spec(const std::string& spec) {
  return spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0;
}

std::string postgres_keywords(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "unparsable";
    if (err) PQfreemem(err);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw std::runtime_error("bad PostgreSQL URL: " + msg);
  }
  std::string out;
  for (auto* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string v;
    for (const char* p = o->val; *p; ++p) {
      if (*p == '\'' || *p == '\\') v += '\\';
      v += *p;
    }
    if (!out.empty()) out += ' ';
    out += std::string(o->keyword) + "='" + v + "'";
  }
  PQconninfoFree(opts);
  return out;
}

namespace {
std::string redact(const std::string& url) {
  // postgresql://user:secret@host → postgresql://user:***@host
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}
}  // namespace

std::unique_ptr<Database> Database::open(const std::string& spec, size_t pool_size, bool migrate) {
  // Each SQLite connection is used by one thread at a time (the pool leases it), so SQLite's
  // own per-call mutexes are pure cost. Must precede SQLite's initialisation; later it is a no-op.
  static const int multithread = sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);  // SOCI wraps sqlite3.h in sqlite_api
  (void)multithread;
  if (spec.empty()) throw std::runtime_error("no database given (--db PATH or postgresql://URL)");
  std::unique_ptr<Database> db(new Database());
  db->pool_size_ = pool_size;
  db->pool_ = std::make_unique<soci::connection_pool>(pool_size);
  const bool pg = is_postgres_spec(spec);
  db->dialect_ = pg ? Dialect::Postgres : Dialect::Sqlite;
  db->description_ = pg ? redact(spec) : spec;
  std::string conn = pg ? postgres_keywords(spec) : spec;
  if (!pg) {
    if (spec.find_first_of(" '\"") != std::string::npos)
      throw std::runtime_error("SQLite path must not contain spaces or quotes: " + spec);
    db->sqlite_path_ = spec;
  }
  try {
    for (size_t i = 0; i < pool_size; ++i) {
      soci::session& s = db->pool_->at(i);
      if (pg) {
        s.open(soci::postgresql, conn);
        s << "SET client_min_messages TO WARNING";
      } else {
        s.open(soci::sqlite3, "db=" + spec + " timeout=30");
        s << "PRAGMA journal_mode=WAL";
        s << "PRAGMA synchronous=NORMAL";
        s << "PRAGMA foreign_keys=ON";
        s << "PRAGMA busy_timeout=30000";
        // Reads through mmap instead of a pread per page for the first 256 MiB of the file, and a
        // bigger page cache per connection. A 1 GiB map made the process's resident size grow
        // with the database (488 of 614 MB at a million configurations, bench_sync). A sync's
        // writer gets a bigger cache still while it runs (WriteCache).
        s << "PRAGMA mmap_size=268435456";
        s << "PRAGMA cache_size=-16000";
        // Checkpoints (each a copy of the WAL into the database and an fsync) every ~40 MB of
        // WAL rather than 4 MB: a first sync writes a gigabyte.
        s << "PRAGMA wal_autocheckpoint=10000";
      }
    }
  } catch (const soci::soci_error& e) {
    std::string what = e.what();
    while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
    throw std::runtime_error("cannot open database " + db->description_ + ": " + what);
  }
  if (migrate) {
    soci::session s(*db->pool_);
    run_migrations(s, db->dialect_);
    restore_deferred_indexes(s, db->dialect_);  // a first sync killed while it loaded
  }
  return db;
}

Database::~Database() = default;

Transaction::Transaction(soci::session& s, Dialect d) : s_(s) {
  s_ << (d == Dialect::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      s_ << "ROLLBACK";
    } catch (...) {
      // the connection is gone; there is nothing left to undo
    }
  }
}

void Transaction::commit() {
  s_ << "COMMIT";
  done_ = true;
}

void checkpoint_wal(soci::session& s, Dialect d) {
  if (d != Dialect::Sqlite) return;
  try {
    s << "PRAGMA wal_checkpoint(PASSIVE)";
  } catch (const soci::soci_error&) {
    // SQLITE_LOCKED while this session has a statement open: the writer's own checkpoint will do.
  }
}

WriteCache::WriteCache(soci::session& s, Dialect d, int mib) : s_(s) {
  if (d != Dialect::Sqlite) return;
  s_ << "PRAGMA cache_size", soci::into(before_);
  s_ << "PRAGMA cache_size=" + std::to_string(-1024 * mib);
  set_ = true;
}

WriteCache::~WriteCache() {
  if (!set_) return;
  try {
    s_ << "PRAGMA cache_size=" + std::to_string(before_);  // frees the pages above the old size
  } catch (const soci::soci_error&) {
    // The session is going away with its cache; nothing to give back.
  }
}

}  // namespace cairn::store
