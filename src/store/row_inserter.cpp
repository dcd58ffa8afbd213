#include "store/row_inserter.h"

#include <stdexcept>

namespace cairn::store {

RowInserter::RowInserter(StatementCache& statements, const std::string& table, std::vector<std::string> columns)
    : statements_(statements), columns_(columns.size()) {
  if (columns.empty()) throw std::invalid_argument("RowInserter: no columns for " + table);
  head_ = "INSERT INTO " + table + " (";
  for (size_t i = 0; i < columns.size(); ++i) head_ += (i ? ", " : "") + columns[i];
  head_ += ") VALUES ";
  many_sql_ = sql(kRowsPerStatement);
  one_sql_ = sql(1);
}

std::string RowInserter::sql(size_t rows) const {
  std::string out = head_;
  size_t p = 0;
  for (size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    for (size_t c = 0; c < columns_; ++c) out += (c ? ", :p" : ":p") + std::to_string(p++);
    out += ")";
  }
  return out;
}

void RowInserter::add(std::vector<Param> row) {
  if (row.size() != columns_)
    throw std::invalid_argument("RowInserter: a row of " + std::to_string(row.size()) + " values for " +
                                std::to_string(columns_) + " columns");
  for (auto& v : row) values_.push_back(std::move(v));
}

void RowInserter::flush() {
  const size_t rows = pending();
  try {
    size_t r = 0;
    for (; r + kRowsPerStatement <= rows; r += kRowsPerStatement) {
      if (!many_) many_ = &statements_.get(many_sql_, kRowsPerStatement * columns_);
      auto& st = *many_;
      for (size_t i = 0; i < kRowsPerStatement * columns_; ++i) st.set(i, std::move(values_[r * columns_ + i]));
      st.execute();
    }
    for (; r < rows; ++r) {
      if (!one_) one_ = &statements_.get(one_sql_, columns_);
      auto& st = *one_;
      for (size_t i = 0; i < columns_; ++i) st.set(i, std::move(values_[r * columns_ + i]));
      st.execute();
    }
  } catch (...) {
    values_.clear();  // the caller's transaction fails with this; no row is left to write twice
    throw;
  }
  values_.clear();
}

}  // namespace cairn::store
