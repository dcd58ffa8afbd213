#include "store/record_inserter.h"

#include <soci/soci.h>

#include <algorithm>

namespace cairn::store {
namespace {

void append_index(std::string& key, size_t index) {
  const auto i = static_cast<std::uint16_t>(index);
  key.append(reinterpret_cast<const char*>(&i), sizeof i);
}

}  // namespace

RecordInserter::RecordInserter(soci::session& s, Dialect d, StatementCache& statements)
    : s_(s), d_(d), statements_(statements) {}

RecordInserter::~RecordInserter() = default;

void RecordInserter::begin() {
  tables_.clear();
  for (auto* rows : record_order_) rows->discard();
  for (auto* rows : child_order_) rows->discard();
  queued_ = 0;
}

std::int64_t RecordInserter::next_id(const core::EntitySchema& e, Table& t, bool first) {
  if (d_ == Dialect::Sqlite) {
    if (first) {
      // AUTOINCREMENT's next id: past the highest ever used, even if since deleted. Inserting an
      // explicit higher id moves sqlite_sequence on, as an automatic one would.
      long long seq = 0, max_id = 0;
      soci::indicator seq_ind = soci::i_null, max_ind = soci::i_null;
      s_ << "SELECT seq FROM sqlite_sequence WHERE name = :t", soci::use(e.table), soci::into(seq, seq_ind);
      if (!s_.got_data() || seq_ind != soci::i_ok) seq = 0;
      s_ << "SELECT MAX(id) FROM " + e.table, soci::into(max_id, max_ind);
      if (max_ind != soci::i_ok) max_id = 0;
      t.next = std::max(seq, max_id) + 1;
    }
    return t.next++;
  }
  if (t.reserved.empty()) {
    std::vector<long long> ids(RowInserter::kRowsPerStatement);
    s_ << "SELECT nextval(pg_get_serial_sequence('" + e.table + "', 'id')) FROM generate_series(1, " +
              std::to_string(ids.size()) + ") ORDER BY 1 DESC",
        soci::into(ids);
    t.reserved.assign(ids.begin(), ids.end());  // highest first: taken from the back
  }
  std::int64_t id = t.reserved.back();
  t.reserved.pop_back();
  return id;
}

RowInserter& RecordInserter::group(std::map<std::string, std::unique_ptr<RowInserter>>& groups,
                                   std::vector<RowInserter*>& order, const std::string& key, const std::string& table,
                                   std::vector<std::string> columns) {
  auto it = groups.find(key);
  if (it == groups.end()) {
    it = groups.emplace(key, std::make_unique<RowInserter>(statements_, table, std::move(columns))).first;
    order.push_back(it->second.get());
  }
  return *it->second;
}

std::int64_t RecordInserter::add(const core::EntitySchema& e, Changes c, const std::string& now) {
  auto [found_table, first] = tables_.try_emplace(e.type);
  Table& t = found_table->second;
  if (first) {
    t.created_at = e.field("created_at") != nullptr;
    t.updated_at = e.field("updated_at") != nullptr;
  }
  const std::int64_t id = next_id(e, t, first);
  // The same columns as Records::insert sets: the given ones, then the stamps the table keeps.
  const bool created_at = t.created_at, updated_at = t.updated_at;
  std::string key = e.table;
  key.push_back('\0');
  for (const auto& [f, v] : c)
    if (f->storage == core::Storage::Column) append_index(key, f->index);
  auto found = records_.find(key);
  RowInserter* rows = found == records_.end() ? nullptr : found->second.get();
  if (!rows) {
    std::vector<std::string> columns{"id"};
    for (const auto& [f, v] : c)
      if (f->storage == core::Storage::Column) columns.push_back(f->column);
    if (created_at) columns.push_back("created_at");
    if (updated_at) columns.push_back("updated_at");
    rows = &group(records_, record_order_, key, e.table, std::move(columns));
  }
  std::vector<Param> row;
  row.reserve(c.size() + 3);
  row.emplace_back(id);
  for (auto& [f, v] : c)
    if (f->storage == core::Storage::Column) row.push_back(stored_value(std::move(v)));
  if (created_at) row.emplace_back(now);
  if (updated_at) row.emplace_back(now);
  rows->add(std::move(row));

  for (const auto& [f, v] : c) {
    if (f->storage != core::Storage::Children || !v.is_rows()) continue;
    const auto& child = *f->child;
    for (const auto& child_row : v.as_rows()) {
      const size_t n = std::min(child.fields.size(), child_row.size());
      std::string child_key = child.table;
      child_key.push_back('\0');
      append_index(child_key, n);
      std::vector<std::string> columns;
      if (!children_.count(child_key)) {
        columns.push_back(f->child_fk);
        for (size_t i = 0; i < n; ++i) columns.push_back(child.fields[i].column);
      }
      auto& child_rows = group(children_, child_order_, child_key, child.table, std::move(columns));
      std::vector<Param> values;
      values.reserve(n + 1);
      values.emplace_back(id);
      for (size_t i = 0; i < n; ++i) values.push_back(stored_value(child_row[i]));
      child_rows.add(std::move(values));
    }
  }
  if (t.first_waiting == 0) t.first_waiting = id;
  ++queued_;
  return id;
}

bool RecordInserter::waiting(const std::string& type, std::int64_t id) const {
  auto it = tables_.find(type);
  return it != tables_.end() && it->second.first_waiting != 0 && id >= it->second.first_waiting;
}

void RecordInserter::flush() {
  if (queued_ == 0) return;
  // A failure fails the caller's transaction, and this object with it (it lives for one).
  queued_ = 0;
  for (auto& [type, t] : tables_) t.first_waiting = 0;
  // No queued record refers to another (a caller flushes first: waiting()), so any order of the
  // tables serves; child rows go after the records they belong to.
  for (auto* rows : record_order_) rows->flush();
  for (auto* rows : child_order_) rows->flush();
}

}  // namespace cairn::store
