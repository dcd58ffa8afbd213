#pragma once
// One code path over SQLite (embedded, the default) and PostgreSQL, through SOCI.
#include <memory>
#include <string>

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace cairn::store {

enum class Dialect { Sqlite, Postgres };

class Database {
 public:
  // spec: a SQLite file path, or a postgresql:// (or postgres://) URL as libpq accepts it.
  // Runs the migrations unless told not to. Throws std::runtime_error with a clear message.
  static std::unique_ptr<Database> open(const std::string& spec, size_t pool_size = 8, bool migrate = true);
  ~Database();

  Dialect dialect() const { return dialect_; }
  soci::connection_pool& pool() { return *pool_; }
  size_t pool_size() const { return pool_size_; }
  // Where the data is, with any password removed, for logs.
  const std::string& description() const { return description_; }
  // The SQLite file, or "" for PostgreSQL (key files live beside it).
  const std::string& sqlite_path() const { return sqlite_path_; }

 private:
  Database() = default;
  std::unique_ptr<soci::connection_pool> pool_;
  size_t pool_size_ = 0;
  Dialect dialect_ = Dialect::Sqlite;
  std::string description_;
  std::string sqlite_path_;
};

// SQLite: a bigger page cache on the session a run writes through, for as long as the run lasts,
// then the old size back (and its memory freed). A first sync inserts into indexes at random
// places (a configuration's organization, its serial number); with the usual 16 MB most of those
// pages miss and are read again. Nothing on PostgreSQL.
class WriteCache {
 public:
  WriteCache(soci::session& s, Dialect d, int mib);
  ~WriteCache();
  WriteCache(const WriteCache&) = delete;
  WriteCache& operator=(const WriteCache&) = delete;

 private:
  soci::session& s_;
  int before_ = 0;
  bool set_ = false;
};

// SQLite: copies what the WAL holds into the database, from this session, without waiting on
// anyone (a PASSIVE checkpoint). A run calls it from the planner's session between batches, so
// the writer's own automatic checkpoints find the copying done: at 300,000 configurations they
// were a third of its commit time (1.1 of 3.1 s). Nothing on PostgreSQL.
void checkpoint_wal(soci::session& s, Dialect d);

bool is_postgres_spec(const std::string& spec);
// A postgresql:// URL in libpq's keyword form, which SOCI 4.0.3 opens correctly (BUILD-NOTES.md).
std::string postgres_keywords(const std::string& url);

// BEGIN IMMEDIATE on SQLite, so two writers queue on the busy timeout instead of failing on
// lock upgrade; rolls back unless committed.
class Transaction {
 public:
  Transaction(soci::session& s, Dialect d);
  ~Transaction();
  void commit();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  soci::session& s_;
  bool done_ = false;
};

}  // namespace cairn::store
