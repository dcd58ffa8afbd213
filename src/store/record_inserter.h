#pragma once
// New records written many at a time, for a sync's batches of creates. Each record gets its id
// when it is added, so the caller can link it, audit it and point later records at it at once;
// the rows go in multi-row INSERTs (RowInserter) at flush(). One INSERT per record spent about
// half of each row's cost in starting and finishing the statement (issue 4: 9.8 µs a
// configuration row alone, 5.2 µs in groups).
//
// Its ids hold for one transaction: begin() at the start of each. On SQLite the ids are the table's
// next ones, read inside the transaction, so nothing else may insert into a table while rows of it
// wait. On PostgreSQL they come from the table's identity sequence, a group at a time (unused ones
// are gaps, as any rolled-back insert leaves). The groups and their statements are kept from one
// transaction to the next: building each group's SQL anew was a fifth of add()'s cost.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/schema.h"
#include "store/database.h"
#include "store/prepared.h"
#include "store/records.h"
#include "store/row_inserter.h"

namespace cairn::store {

class RecordInserter {
 public:
  RecordInserter(soci::session& s, Dialect d, StatementCache& statements);
  ~RecordInserter();
  RecordInserter(const RecordInserter&) = delete;
  RecordInserter& operator=(const RecordInserter&) = delete;

  // A new transaction: ids are read afresh, and rows a failed one left unwritten are dropped.
  void begin();
  // Queues a record of `e` with these values (and its child rows); returns the id it will have.
  // Changes that refer to a waiting record must come after that record's flush(): see waiting().
  std::int64_t add(const core::EntitySchema& e, Changes c, const std::string& now);
  // Whether a record of the entity type `type` with this id is queued and not yet written.
  bool waiting(const std::string& type, std::int64_t id) const;
  bool empty() const { return queued_ == 0; }
  // Writes every queued record, tables in the order they were first added to, then child rows.
  void flush();

 private:
  struct Table {
    std::vector<std::int64_t> reserved;  // PostgreSQL: ids taken from the sequence, not yet used
    std::int64_t next = 0;               // SQLite: the next id
    std::int64_t first_waiting = 0;      // the lowest queued id; 0 when none waits
    bool created_at = false, updated_at = false;  // whether the table keeps these stamps
  };
  std::int64_t next_id(const core::EntitySchema& e, Table& t, bool first);
  RowInserter& group(std::map<std::string, std::unique_ptr<RowInserter>>& groups, std::vector<RowInserter*>& order,
                     const std::string& key, const std::string& table, std::vector<std::string> columns);

  soci::session& s_;
  Dialect d_;
  StatementCache& statements_;
  std::map<std::string, Table> tables_;  // by entity type
  // Rows of one table and one set of columns share an INSERT; keyed by the table and the columns.
  std::map<std::string, std::unique_ptr<RowInserter>> records_, children_;
  std::vector<RowInserter*> record_order_, child_order_;
  size_t queued_ = 0;
};

}  // namespace cairn::store
