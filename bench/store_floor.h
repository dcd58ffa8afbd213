#pragma once
// The store's own floor: what SQLite alone costs to write the rows a full sync wrote. bench_sync
// measures it after its full sync, on the database that sync wrote.
//
// It copies every row of that database (records, their children, PSA links, the audit trail,
// the look-ups) into a new database opened as Cairn opens one (its migrations and pragmas, the
// sync's page cache, the indexes a first sync defers dropped and built after), one prepared
// single-row INSERT per table with each value bound as its own type, 1,500 rows a transaction.
// No JSON, no planning, no string building: SQLite's B-tree work and commits, which no change to
// the engine can take away while it writes these rows. The figure is this thread's CPU time
// spent inside the INSERTs, commits and index builds; reading the source is left out.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/deferred_indexes.h"

namespace cairn::bench::store_floor_detail {

using namespace ::sqlite_api;  // SOCI's header holds SQLite's API in this namespace

inline double thread_cpu() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

inline void check(int rc, sqlite3* db, const std::string& what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(what + ": " + sqlite3_errmsg(db));
}

inline void exec(sqlite3* db, const std::string& sql) { check(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), db, sql); }

// One column value read from the source, to be bound as the same type.
struct Cell {
  int type = SQLITE_NULL;
  sqlite3_int64 integer = 0;
  double real = 0;
  std::string text;
};

inline std::vector<std::string> tables_in_creation_order(sqlite3* db) {
  std::vector<std::string> out;
  sqlite3_stmt* st = nullptr;
  check(sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                           "AND name <> 'schema_migrations' ORDER BY rowid",
                           -1, &st, nullptr),
        db, "list tables");
  while (sqlite3_step(st) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  return out;
}

struct Copied {
  long long rows = 0;
  double cpu = 0;  // inside the INSERTs and commits
};

inline Copied copy_table(sqlite3* from, sqlite3* to, const std::string& table) {
  Copied c;
  sqlite3_stmt* read = nullptr;
  check(sqlite3_prepare_v2(from, ("SELECT * FROM " + table + " ORDER BY rowid").c_str(), -1, &read, nullptr), from,
        "read " + table);
  const int columns = sqlite3_column_count(read);
  std::string insert = "INSERT INTO " + table + " (";
  for (int i = 0; i < columns; ++i) insert += std::string(i ? ", " : "") + sqlite3_column_name(read, i);
  insert += ") VALUES (";
  for (int i = 0; i < columns; ++i) insert += i ? ", ?" : "?";
  insert += ")";
  sqlite3_stmt* write = nullptr;
  check(sqlite3_prepare_v2(to, insert.c_str(), -1, &write, nullptr), to, insert);

  constexpr size_t kRowsPerTransaction = 1500;  // a sync's batch: 500 records, each with its link and audit row
  std::vector<std::vector<Cell>> rows;
  bool more = true;
  while (more) {
    rows.clear();
    while (rows.size() < kRowsPerTransaction) {
      if (sqlite3_step(read) != SQLITE_ROW) {
        more = false;
        break;
      }
      auto& row = rows.emplace_back(columns);
      for (int i = 0; i < columns; ++i) {
        row[i].type = sqlite3_column_type(read, i);
        if (row[i].type == SQLITE_INTEGER) row[i].integer = sqlite3_column_int64(read, i);
        else if (row[i].type == SQLITE_FLOAT) row[i].real = sqlite3_column_double(read, i);
        else if (row[i].type != SQLITE_NULL)
          row[i].text.assign(reinterpret_cast<const char*>(sqlite3_column_text(read, i)), sqlite3_column_bytes(read, i));
      }
    }
    if (rows.empty()) break;
    const double start = thread_cpu();
    exec(to, "BEGIN IMMEDIATE");
    for (const auto& row : rows) {
      for (int i = 0; i < columns; ++i) {
        const Cell& v = row[i];
        if (v.type == SQLITE_INTEGER) sqlite3_bind_int64(write, i + 1, v.integer);
        else if (v.type == SQLITE_FLOAT) sqlite3_bind_double(write, i + 1, v.real);
        else if (v.type == SQLITE_NULL) sqlite3_bind_null(write, i + 1);
        else sqlite3_bind_text(write, i + 1, v.text.data(), static_cast<int>(v.text.size()), SQLITE_STATIC);
      }
      check(sqlite3_step(write), to, "insert into " + table);
      sqlite3_reset(write);
    }
    exec(to, "COMMIT");
    c.cpu += thread_cpu() - start;
    c.rows += static_cast<long long>(rows.size());
  }
  sqlite3_finalize(write);
  sqlite3_finalize(read);
  return c;
}

}  // namespace cairn::bench::store_floor_detail

namespace cairn::bench {

struct StoreFloor {
  long long rows = 0;
  double cpu = 0;  // seconds on the one thread that writes, as a sync's writer is
};

// Copies the database at source_path into a new one in a temporary directory (removed after),
// printing each table's rows and CPU; throws std::runtime_error on failure.
inline StoreFloor measure_store_floor(const std::string& source_path) {
  using namespace store_floor_detail;
  const auto dir = std::filesystem::temp_directory_path() / ("cairn-store-floor-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{dir};
  StoreFloor out;
  // Cairn's schema and pragmas, then the raw connection under them.
  auto target = store::Database::open((dir / "cairn.db").string(), 1);
  soci::session session(target->pool());
  session << "PRAGMA cache_size=-" + std::to_string(96 * 1024);  // the sync's writer cache (kWriteCacheMib)
  session << "PRAGMA foreign_keys=OFF";                            // as the sync's writer runs
  for (const auto& i : store::deferrable_indexes()) session << std::string("DROP INDEX IF EXISTS ") + i.name;
  sqlite3* to = static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
  sqlite3* from = nullptr;
  const int opened = sqlite3_open_v2(source_path.c_str(), &from, SQLITE_OPEN_READONLY, nullptr);
  struct Closer {
    sqlite3* db;
    ~Closer() { sqlite3_close(db); }
  } closer{from};
  check(opened, from, "open " + source_path);
  for (const auto& table : tables_in_creation_order(from)) {
    Copied c = copy_table(from, to, table);
    out.rows += c.rows;
    out.cpu += c.cpu;
    if (c.rows < 1000) continue;  // the look-ups and the run's own rows: too few to show
    std::printf("  %-16s %8lld rows %6.2f s CPU %5.2f us a row\n", table.c_str(), c.rows, c.cpu, c.cpu * 1e6 / c.rows);
  }
  const double before_indexes = thread_cpu();
  for (const auto& i : store::deferrable_indexes())
    session << std::string("CREATE INDEX IF NOT EXISTS ") + i.name + " ON " + i.definition;
  const double indexes = thread_cpu() - before_indexes;
  std::printf("  deferred index builds %6.2f s CPU\n", indexes);
  out.cpu += indexes;
  return out;
}

}  // namespace cairn::bench

