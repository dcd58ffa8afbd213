#pragma once
// Generic reads and writes of any entity of core/schema.h. The SQL is built from the schema;
// every value read travels as text with a null indicator, so one code path serves both
// databases; writes bind integers as integers on SQLite (prepared.h).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/schema.h"
#include "core/value.h"
#include "store/database.h"
#include "store/prepared.h"

namespace soci {
class session;
}

namespace cairn::store {

struct Record {
  std::int64_t id = 0;
  core::Row values;  // one per schema field, by Field::index
  const core::Value& operator[](const core::Field& f) const { return values[f.index]; }
};

struct Filter {
  enum class Op { In, NotIn, Range };
  const core::Field* field = nullptr;
  Op op = Op::In;
  std::vector<core::Value> values;       // In, NotIn
  std::optional<std::string> from, to;   // Range, inclusive, normalised RFC 3339
};

struct SortKey {
  const core::Field* field = nullptr;  // nullptr: the id
  bool descending = false;
};

struct ListQuery {
  std::vector<Filter> filters;
  std::vector<SortKey> sort;
  std::int64_t page_number = 1;
  std::int64_t page_size = 50;
  bool with_total = true;
};

struct ListPage {
  std::vector<Record> records;
  std::int64_t total = 0;
};

using Changes = std::vector<std::pair<const core::Field*, core::Value>>;

class Records {
 public:
  Records(soci::session& s, Dialect d) : s_(s), d_(d) {}
  ~Records();
  Records(Records&&) noexcept;

  ListPage list(const core::EntitySchema& e, const ListQuery& q);
  std::optional<Record> get(const core::EntitySchema& e, std::int64_t id);
  // The records with these ids, in this order; ids that do not exist are left out.
  std::vector<Record> load(const core::EntitySchema& e, const std::vector<std::int64_t>& ids);
  bool exists(const core::EntitySchema& e, std::int64_t id);
  // The raw stored value of one column, as text; nullopt when the row or value is missing.
  std::optional<std::string> column_text(const core::EntitySchema& e, std::int64_t id, const core::Field& f);

  std::int64_t insert(const core::EntitySchema& e, const Changes& c, const std::string& now);
  void update(const core::EntitySchema& e, std::int64_t id, const Changes& c, const std::string& now);
  bool remove(const core::EntitySchema& e, std::int64_t id);

 private:
  void load_children(const core::EntitySchema& e, std::vector<Record>& records);
  void write_children(const core::Field& f, std::int64_t parent_id, const core::Rows& rows);
  StatementCache& statements();
  soci::session& s_;
  Dialect d_;
  // Writes reuse their prepared statements for as long as this object lives (prepared.h).
  std::unique_ptr<StatementCache> statements_;
};

// Converts stored text back to the field's value type.
core::Value from_text(const core::Field& f, std::string text);
// The text a value is stored as (booleans as 1/0).
std::string to_text(const core::Value& v);
// A value as PreparedStatement and RowInserter bind it: NULL, an integer (booleans as 1/0), or text.
Param stored_value(const core::Value& v);
// The same, taking a text value's string instead of copying it.
Param stored_value(core::Value&& v);

}  // namespace cairn::store
