#pragma once
// Many rows of one shape written with few statements: whole groups of kRowsPerStatement rows go in
// one multi-row INSERT, the rest one row at a time. A first sync writes a link and an audit row
// per record; one statement per row spent about half of each row's cost in starting and finishing
// the statement (issue 4: 13.5 µs a link row alone, 7.1 µs in groups of 50).
#include <optional>
#include <string>
#include <vector>

#include "store/prepared.h"

namespace cairn::store {

class RowInserter {
 public:
  static constexpr size_t kRowsPerStatement = 32;

  // `columns` of `table`, each row a value per column.
  RowInserter(StatementCache& statements, const std::string& table, std::vector<std::string> columns);

  // Adds a row to write at the next flush(); its size must be the number of columns.
  void add(std::vector<Param> row);
  // Writes the rows added since the last flush, in the order they were added.
  void flush();
  // Drops the rows added since the last flush, unwritten.
  void discard() { values_.clear(); }
  size_t pending() const { return values_.size() / columns_; }

 private:
  std::string sql(size_t rows) const;

  StatementCache& statements_;
  // Looked up once: the cache finds a statement by hashing its SQL, kilobytes for a group of 32.
  PreparedStatement* many_ = nullptr;
  PreparedStatement* one_ = nullptr;
  std::string head_;  // INSERT INTO table (columns) VALUES
  size_t columns_;
  std::string many_sql_, one_sql_;
  std::vector<Param> values_;  // the pending rows, one after another
};

}  // namespace cairn::store
