#include "store/prepared.h"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <optional>

namespace cairn::store {

// On SQLite the statement runs through SQLite's own API, its text parameters bound in place: SOCI
// copied every value into a buffer of its own on every execute (issue 4: 5 % of a first sync's
// writer thread, by callgrind). On PostgreSQL it runs through SOCI.
struct PreparedStatement::Bound {
  explicit Bound(soci::session& s) : session(s) {}
  ~Bound() {
    if (native) sqlite_api::sqlite3_finalize(native);
  }
  soci::session& session;
  // PostgreSQL: sized once, never resized, since SOCI's statement holds their addresses.
  std::vector<std::string> values;
  std::vector<soci::indicator> inds;
  std::vector<Param> params;  // SQLite
  long long id = 0;
  bool returns_id = false;
  bool last_rowid = false;  // SQLite: the id is the connection's last insert rowid, not a RETURNING row
  // SQLite
  sqlite_api::sqlite3* db = nullptr;
  sqlite_api::sqlite3_stmt* native = nullptr;
  long long changes = 0;
  // PostgreSQL
  std::optional<soci::statement> st;
};

namespace {
const std::string kReturningId = " RETURNING id";

[[noreturn]] void fail(sqlite_api::sqlite3* db, int rc, const std::string& what) {
  throw soci::sqlite3_soci_error(what + ": " + sqlite_api::sqlite3_errmsg(db), rc);
}
}  // namespace

PreparedStatement::PreparedStatement(soci::session& s, const std::string& sql, size_t params, bool returns_id)
    : bound_(std::make_unique<Bound>(s)) {
  auto& b = *bound_;
  b.returns_id = returns_id;
  if (s.get_backend_name() == "sqlite3") {
    // SQLite runs RETURNING through a temporary table and a row to step past; its last insert rowid
    // is the same id for a single-row INSERT at a fraction of the cost (a sync inserts ~4 rows a record).
    b.last_rowid = returns_id && sql.size() > kReturningId.size() &&
                   sql.compare(sql.size() - kReturningId.size(), kReturningId.size(), kReturningId) == 0;
    const std::string text = b.last_rowid ? sql.substr(0, sql.size() - kReturningId.size()) : sql;
    b.db = static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
    const int rc = sqlite_api::sqlite3_prepare_v2(b.db, text.c_str(), static_cast<int>(text.size() + 1), &b.native, nullptr);
    if (rc != SQLITE_OK) fail(b.db, rc, "cannot prepare \"" + text.substr(0, 200) + "\"");
    if (static_cast<size_t>(sqlite_api::sqlite3_bind_parameter_count(b.native)) != params)
      throw soci::soci_error("a statement with " + std::to_string(sqlite_api::sqlite3_bind_parameter_count(b.native)) +
                             " parameters prepared for " + std::to_string(params));
    b.params.resize(params);
    return;
  }
  b.values.resize(params);
  b.inds.assign(params, soci::i_null);
  b.st.emplace(s);
  b.st->alloc();
  b.st->prepare(sql);
  for (size_t i = 0; i < params; ++i) b.st->exchange(soci::use(b.values[i], b.inds[i]));
  if (returns_id) b.st->exchange(soci::into(b.id));
  b.st->define_and_bind();
}

PreparedStatement::~PreparedStatement() = default;

std::optional<std::string> Param::as_text() && {
  switch (kind_) {
    case Kind::Null:
      return std::nullopt;
    case Kind::Integer:
      return std::to_string(integer_);
    case Kind::Text:
      break;
  }
  return std::move(text_);
}

void PreparedStatement::set(size_t i, Param value) {
  auto& b = *bound_;
  if (b.native) {
    b.params.at(i) = std::move(value);
    return;
  }
  auto text = std::move(value).as_text();
  b.inds.at(i) = text ? soci::i_ok : soci::i_null;
  b.values[i] = text ? std::move(*text) : std::string();
}

std::int64_t PreparedStatement::execute() {
  auto& b = *bound_;
  b.id = 0;
  if (b.native) {
    // Bound anew each time: set() may have moved a value's text elsewhere. SQLite reads it in step().
    for (size_t i = 0; i < b.params.size(); ++i) {
      const int pos = static_cast<int>(i + 1);
      const Param& p = b.params[i];
      int rc = SQLITE_OK;
      switch (p.kind()) {
        case Param::Kind::Null:
          rc = sqlite_api::sqlite3_bind_null(b.native, pos);
          break;
        case Param::Kind::Integer:
          rc = sqlite_api::sqlite3_bind_int64(b.native, pos, p.integer());
          break;
        case Param::Kind::Text:
          rc = sqlite_api::sqlite3_bind_text(b.native, pos, p.text().data(), static_cast<int>(p.text().size()),
                                             SQLITE_STATIC);
          break;
      }
      if (rc != SQLITE_OK) fail(b.db, rc, "cannot bind parameter " + std::to_string(pos));
    }
    int rc = sqlite_api::sqlite3_step(b.native);
    bool first_row = true;
    // Every row stepped past, so no statement is left half-read when the transaction commits.
    for (; rc == SQLITE_ROW; rc = sqlite_api::sqlite3_step(b.native)) {
      if (first_row && b.returns_id) b.id = sqlite_api::sqlite3_column_int64(b.native, 0);
      first_row = false;
    }
    if (rc != SQLITE_DONE) {
      const std::string message = sqlite_api::sqlite3_errmsg(b.db);
      sqlite_api::sqlite3_reset(b.native);
      throw soci::sqlite3_soci_error(message, rc);
    }
    sqlite_api::sqlite3_reset(b.native);
    b.changes = sqlite_api::sqlite3_changes(b.db);
    if (b.last_rowid) b.id = sqlite_api::sqlite3_last_insert_rowid(b.db);
    return b.id;
  }
  b.st->execute(true);
  // Step past the one RETURNING row, so no statement is left half-read when the transaction commits.
  if (b.returns_id) {
    long long id = b.id;
    while (b.st->fetch()) {
    }
    b.id = id;
  }
  return b.id;
}

long long PreparedStatement::affected_rows() { return bound_->native ? bound_->changes : bound_->st->get_affected_rows(); }

PreparedStatement& StatementCache::get(const std::string& sql, size_t params, bool returns_id) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return *it->second;
  auto made = std::make_unique<PreparedStatement>(s_, sql, params, returns_id);
  return *statements_.emplace(sql, std::move(made)).first->second;
}

}  // namespace cairn::store
