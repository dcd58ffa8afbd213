#include "store/records.h"

#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace cairn::store {
namespace {

using core::Field;
using core::Storage;

std::string select_expr(const Field& f) {
  if (f.storage == Storage::Derived) return "CAST((" + f.expr + ") AS TEXT)";
  return "CAST(b." + f.column + " AS TEXT)";
}

std::string where_expr(const Field& f) {
  if (f.storage == Storage::Derived) return "(" + f.expr + ")";
  return "b." + f.column;
}

// Binds values positionally as :p0, :p1 ... with null indicators; the storage must outlive the statement.
struct Params {
  std::vector<std::string> values;
  std::vector<soci::indicator> inds;
  std::string add(const std::optional<std::string>& v) {
    values.push_back(v.value_or(""));
    inds.push_back(v ? soci::i_ok : soci::i_null);
    return ":p" + std::to_string(values.size() - 1);
  }
  void bind(soci::statement& st) {
    for (size_t i = 0; i < values.size(); ++i) st.exchange(soci::use(values[i], inds[i]));
  }
};

struct Sql {
  std::string joins;
  std::string where;
};

Sql build_where(const core::EntitySchema& e, const std::vector<Filter>& filters, Params& p,
                const std::vector<const Field*>& also_need) {
  std::set<std::string> needed;
  auto need = [&](const Field& f) {
    for (const auto& j : f.joins) needed.insert(j);
  };
  for (const auto* f : also_need) need(*f);
  std::string where;
  for (const auto& flt : filters) {
    need(*flt.field);
    std::string clause;
    std::string lhs = where_expr(*flt.field);
    if (flt.op == Filter::Op::Range) {
      if (flt.from) clause += lhs + " >= " + p.add(*flt.from);
      if (flt.to) clause += std::string(clause.empty() ? "" : " AND ") + lhs + " <= " + p.add(*flt.to);
      if (clause.empty()) continue;
    } else {
      std::string list;
      bool has_null = false;
      for (const auto& v : flt.values) {
        if (v.is_null()) {
          has_null = true;
          continue;
        }
        list += (list.empty() ? "" : ", ") + p.add(to_text(v));
      }
      if (flt.op == Filter::Op::In) {
        if (!list.empty()) clause = lhs + " IN (" + list + ")";
        if (has_null) clause += std::string(clause.empty() ? "" : " OR ") + lhs + " IS NULL";
        if (clause.empty()) clause = "1 = 0";
      } else {
        if (!list.empty()) clause = "(" + lhs + " IS NULL OR " + lhs + " NOT IN (" + list + "))";
        if (has_null) clause += std::string(clause.empty() ? "" : " AND ") + lhs + " IS NOT NULL";
        if (clause.empty()) continue;
      }
    }
    where += (where.empty() ? " WHERE (" : " AND (") + clause + ")";
  }
  Sql out;
  for (const auto& j : e.joins)
    if (needed.count(j.name)) out.joins += " " + j.sql;
  out.where = std::move(where);
  return out;
}

}  // namespace

std::string to_text(const core::Value& v) {
  if (v.is_bool()) return v.as_bool() ? "1" : "0";
  return v.to_text();
}

Param stored_value(const core::Value& v) {
  if (v.is_null()) return {};
  if (v.is_int()) return v.as_int();
  if (v.is_bool()) return std::int64_t{v.as_bool() ? 1 : 0};
  return to_text(v);
}

Param stored_value(core::Value&& v) {
  if (auto* text = std::get_if<std::string>(&v.v)) return std::move(*text);
  return stored_value(std::as_const(v));
}

core::Value from_text(const Field& f, std::string text) {
  switch (f.type) {
    case core::FieldType::Integer:
    case core::FieldType::Reference: {
      std::int64_t n = 0;
      auto r = std::from_chars(text.data(), text.data() + text.size(), n);
      if (r.ec != std::errc()) return core::Value(text);
      return core::Value(n);
    }
    case core::FieldType::Boolean:
      return core::Value(text == "1" || text == "true" || text == "t");
    default:
      return core::Value(std::move(text));
  }
}

namespace {

// Runs a SELECT of text columns and hands each batch of rows to `take`. Batches hold at most
// 1000 rows; SOCI's SQLite backend fetches nothing into one-element vectors, so never fewer than two.
template <typename Take>
void fetch_text_rows(soci::session& s, const std::string& text, Params& p, size_t ncols, std::int64_t expected, Take take) {
  const size_t batch = static_cast<size_t>(std::clamp<std::int64_t>(expected, 2, 1000));
  std::vector<std::vector<std::string>> cols(ncols, std::vector<std::string>(batch));
  std::vector<std::vector<soci::indicator>> inds(ncols, std::vector<soci::indicator>(batch));
  soci::statement st(s);
  st.alloc();
  st.prepare(text);
  p.bind(st);
  for (size_t c = 0; c < ncols; ++c) st.exchange(soci::into(cols[c], inds[c]));
  st.define_and_bind();
  bool got = st.execute(true);
  while (got) {
    size_t rows = cols[0].size();
    take(cols, inds, rows);
    if (rows < batch) break;
    for (size_t c = 0; c < ncols; ++c) {
      cols[c].resize(batch);
      inds[c].resize(batch);
    }
    got = st.fetch();
  }
}

std::int64_t to_id(const std::string& text) {
  std::int64_t id = 0;
  std::from_chars(text.data(), text.data() + text.size(), id);
  return id;
}

}  // namespace

ListPage Records::list(const core::EntitySchema& e, const ListQuery& q) {
  ListPage page;
  std::vector<const Field*> out_fields;
  for (const auto& f : e.fields)
    if (f.storage != Storage::Children && !f.hidden) out_fields.push_back(&f);
  std::vector<const Field*> sort_fields;
  for (const auto& k : q.sort)
    if (k.field) sort_fields.push_back(k.field);

  if (q.with_total) {
    Params pc;
    Sql count_sql = build_where(e, q.filters, pc, {});
    std::string text = "SELECT COUNT(*) FROM " + e.table + " b" + count_sql.joins + count_sql.where;
    long long total = 0;
    soci::statement st(s_);
    st.alloc();
    st.prepare(text);
    pc.bind(st);
    st.exchange(soci::into(total));
    st.define_and_bind();
    st.execute(true);
    page.total = total;
  }

  // First the page's ids, with only the joins that filters and sort need: skipping OFFSET rows
  // then costs an index walk, not every join of every skipped row ("deferred join").
  Params p;
  Sql sql = build_where(e, q.filters, p, sort_fields);
  std::string order;
  for (const auto& k : q.sort) {
    std::string expr = k.field ? where_expr(*k.field) : "b.id";
    bool textual = k.field && k.field->type != core::FieldType::Integer && k.field->type != core::FieldType::Reference &&
                   k.field->type != core::FieldType::Boolean;
    if (textual && d_ == Dialect::Postgres) expr += " COLLATE \"C\"";
    order += (order.empty() ? " ORDER BY " : ", ") + expr + (k.descending ? " DESC NULLS LAST" : " ASC NULLS FIRST");
  }
  order += order.empty() ? " ORDER BY b.id" : ", b.id";
  std::int64_t size = std::max<std::int64_t>(1, q.page_size);
  std::int64_t offset = (std::max<std::int64_t>(1, q.page_number) - 1) * size;
  std::string ids_text = "SELECT CAST(b.id AS TEXT) FROM " + e.table + " b" + sql.joins + sql.where + order + " LIMIT " +
                         std::to_string(size) + " OFFSET " + std::to_string(offset);
  std::vector<std::int64_t> ids;
  fetch_text_rows(s_, ids_text, p, 1, size, [&](auto& cols, auto&, size_t rows) {
    for (size_t r = 0; r < rows; ++r) ids.push_back(to_id(cols[0][r]));
  });
  page.records = load(e, ids);
  return page;
}

std::vector<Record> Records::load(const core::EntitySchema& e, const std::vector<std::int64_t>& ids) {
  std::vector<Record> records;
  if (ids.empty()) return records;
  std::vector<const Field*> out_fields;
  for (const auto& f : e.fields)
    if (f.storage != Storage::Children && !f.hidden) out_fields.push_back(&f);
  // Then those rows, with every attribute, in the order the ids came.
  std::vector<std::pair<std::int64_t, size_t>> position;
  position.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) position.emplace_back(ids[i], i);
  std::sort(position.begin(), position.end());
  records.resize(ids.size());
  Params none;
  Sql joins = build_where(e, {}, none, out_fields);
  std::string select = "SELECT CAST(b.id AS TEXT)";
  for (const auto* f : out_fields) select += ", " + select_expr(*f);
  for (size_t start = 0; start < ids.size(); start += 1000) {
    std::string list;
    for (size_t i = start; i < std::min(ids.size(), start + 1000); ++i) list += (list.empty() ? "" : ",") + std::to_string(ids[i]);
    std::string text = select + " FROM " + e.table + " b" + joins.joins + " WHERE b.id IN (" + list + ")";
    Params np;
    fetch_text_rows(s_, text, np, out_fields.size() + 1, static_cast<std::int64_t>(ids.size() - start),
                    [&](auto& cols, auto& inds, size_t rows) {
                      for (size_t r = 0; r < rows; ++r) {
                        std::int64_t id = to_id(cols[0][r]);
                        auto it = std::lower_bound(position.begin(), position.end(), std::make_pair(id, size_t{0}));
                        if (it == position.end() || it->first != id) continue;
                        Record& rec = records[it->second];
                        rec.id = id;
                        rec.values.resize(e.fields.size());
                        for (size_t c = 1; c < cols.size(); ++c)
                          if (inds[c][r] == soci::i_ok)
                            rec.values[out_fields[c - 1]->index] = from_text(*out_fields[c - 1], std::move(cols[c][r]));
                      }
                    });
  }
  // A row deleted between the two reads leaves a gap; drop it.
  records.erase(std::remove_if(records.begin(), records.end(), [](const Record& r) { return r.id == 0; }),
                     records.end());
  load_children(e, records);
  return records;
}

void Records::load_children(const core::EntitySchema& e, std::vector<Record>& records) {
  if (records.empty()) return;
  for (const auto& f : e.fields) {
    if (f.storage != Storage::Children) continue;
    const auto& child = *f.child;
    std::string ids;
    for (const auto& r : records) ids += (ids.empty() ? "" : ",") + std::to_string(r.id);
    std::string text = "SELECT CAST(" + f.child_fk + " AS TEXT)";
    for (const auto& cf : child.fields) text += ", CAST(" + cf.column + " AS TEXT)";
    text += " FROM " + child.table + " WHERE " + f.child_fk + " IN (" + ids + ") ORDER BY " + f.child_fk + ", id";
    soci::rowset<soci::row> rs = (s_.prepare << text);
    std::vector<core::Rows> by_record(records.size());
    // Records arrive in any order; index them by id.
    std::vector<std::pair<std::int64_t, size_t>> index;
    for (size_t i = 0; i < records.size(); ++i) index.emplace_back(records[i].id, i);
    std::sort(index.begin(), index.end());
    for (const auto& row : rs) {
      std::int64_t parent = std::stoll(row.get<std::string>(0));
      auto it = std::lower_bound(index.begin(), index.end(), std::make_pair(parent, size_t{0}));
      if (it == index.end() || it->first != parent) continue;
      core::Row cells(child.fields.size());
      for (size_t c = 0; c < child.fields.size(); ++c)
        if (row.get_indicator(c + 1) == soci::i_ok) cells[c] = from_text(child.fields[c], row.get<std::string>(c + 1));
      by_record[it->second].push_back(std::move(cells));
    }
    for (size_t i = 0; i < records.size(); ++i) records[i].values[f.index] = core::Value(std::move(by_record[i]));
  }
}

std::optional<Record> Records::get(const core::EntitySchema& e, std::int64_t id) {
  auto records = load(e, {id});
  if (records.empty()) return std::nullopt;
  return std::move(records.front());
}

bool Records::exists(const core::EntitySchema& e, std::int64_t id) {
  int one = 0;
  soci::indicator ind = soci::i_null;
  s_ << "SELECT 1 FROM " + e.table + " WHERE id = :id", soci::use(id), soci::into(one, ind);
  return s_.got_data() && ind == soci::i_ok;
}

std::optional<std::string> Records::column_text(const core::EntitySchema& e, std::int64_t id, const Field& f) {
  std::string v;
  soci::indicator ind = soci::i_null;
  s_ << "SELECT CAST(" + f.column + " AS TEXT) FROM " + e.table + " WHERE id = :id", soci::use(id), soci::into(v, ind);
  if (!s_.got_data() || ind != soci::i_ok) return std::nullopt;
  return v;
}

Records::~Records() = default;
Records::Records(Records&&) noexcept = default;

StatementCache& Records::statements() {
  if (!statements_) statements_ = std::make_unique<StatementCache>(s_);
  return *statements_;
}

namespace {

// The SQL of a write depends only on the table and the columns it sets; a bulk write (a sync's
// hundreds of thousands of creates) asks for the same few again and again, so each is built once
// per thread, keyed by the schema and the columns' field indexes.
struct WriteSql {
  std::string sql;
  size_t params = 0;
  bool created_at = false, updated_at = false;  // whether the table keeps these stamps
};

template <typename Build>
const WriteSql& write_sql(char op, const core::EntitySchema& e, const Changes& c, Build build) {
  thread_local std::unordered_map<std::string, WriteSql> cache;
  std::string key(1, op);
  const core::EntitySchema* schema = &e;
  key.append(reinterpret_cast<const char*>(&schema), sizeof schema);
  for (const auto& [f, v] : c)
    if (f->storage == Storage::Column) {
      const auto index = static_cast<std::uint16_t>(f->index);
      key.append(reinterpret_cast<const char*>(&index), sizeof index);
    }
  auto it = cache.find(key);
  if (it == cache.end()) {
    WriteSql w;
    w.created_at = e.field("created_at") != nullptr;
    w.updated_at = e.field("updated_at") != nullptr;
    build(w);
    it = cache.emplace(std::move(key), std::move(w)).first;
  }
  return it->second;
}

}  // namespace

std::int64_t Records::insert(const core::EntitySchema& e, const Changes& c, const std::string& now) {
  const WriteSql& w = write_sql('i', e, c, [&](WriteSql& out) {
    std::string cols, vals;
    auto add = [&](const std::string& column) {
      cols += (cols.empty() ? "" : ", ") + column;
      vals += (vals.empty() ? ":p" : ", :p") + std::to_string(out.params++);
    };
    for (const auto& [f, v] : c)
      if (f->storage == Storage::Column) add(f->column);
    if (out.created_at) add("created_at");
    if (out.updated_at) add("updated_at");
    out.sql = "INSERT INTO " + e.table + " (" + cols + ") VALUES (" + vals + ") RETURNING id";
  });
  auto& st = statements().get(w.sql, w.params, true);
  size_t i = 0;
  for (const auto& [f, v] : c)
    if (f->storage == Storage::Column) st.set(i++, stored_value(v));
  if (w.created_at) st.set(i++, now);
  if (w.updated_at) st.set(i++, now);
  std::int64_t id = st.execute();
  for (const auto& [f, v] : c)
    if (f->storage == Storage::Children) write_children(*f, id, v.is_rows() ? v.as_rows() : core::Rows{});
  return id;
}

void Records::update(const core::EntitySchema& e, std::int64_t id, const Changes& c, const std::string& now) {
  const WriteSql& w = write_sql('u', e, c, [&](WriteSql& out) {
    std::string sets;
    auto add = [&](const std::string& column) { sets += (sets.empty() ? "" : ", ") + column + " = :p" + std::to_string(out.params++); };
    for (const auto& [f, v] : c)
      if (f->storage == Storage::Column) add(f->column);
    if (out.updated_at) add("updated_at");
    if (!sets.empty()) out.sql = "UPDATE " + e.table + " SET " + sets + " WHERE id = :id";
  });
  if (!w.sql.empty()) {
    auto& st = statements().get(w.sql, w.params + 1);
    size_t i = 0;
    for (const auto& [f, v] : c)
      if (f->storage == Storage::Column) st.set(i++, stored_value(v));
    if (w.updated_at) st.set(i++, now);
    st.set(i, id);
    st.execute();
  }
  for (const auto& [f, v] : c)
    if (f->storage == Storage::Children) {
      auto& del = statements().get("DELETE FROM " + f->child->table + " WHERE " + f->child_fk + " = :id", 1);
      del.set(0, id);
      del.execute();
      write_children(*f, id, v.is_rows() ? v.as_rows() : core::Rows{});
    }
}

void Records::write_children(const Field& f, std::int64_t parent_id, const core::Rows& rows) {
  const auto& child = *f.child;
  for (const auto& row : rows) {
    size_t n = std::min(child.fields.size(), row.size());
    std::string cols = f.child_fk, vals = ":p0";
    for (size_t i = 0; i < n; ++i) {
      cols += ", " + child.fields[i].column;
      vals += ", :p" + std::to_string(i + 1);
    }
    auto& st = statements().get("INSERT INTO " + child.table + " (" + cols + ") VALUES (" + vals + ")", n + 1);
    st.set(0, parent_id);
    for (size_t i = 0; i < n; ++i) st.set(i + 1, stored_value(row[i]));
    st.execute();
  }
}

// Callers audit the delete (Documents::remove does): a sync's writer runs without SQLite's
// foreign-key checks until it sees a "delete" audit row (sync/engine.cpp, Writer).
bool Records::remove(const core::EntitySchema& e, std::int64_t id) {
  soci::statement st = (s_.prepare << "DELETE FROM " + e.table + " WHERE id = :id", soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

}  // namespace cairn::store
