#include "store/prepared.h"

#include <soci/soci.h>

namespace cairn::store {

struct PreparedStatement::Bound {
  explicit Bound(soci::session& s, size_t params) : session(s), st(s), values(params), inds(params, soci::i_null) {}
  soci::session& session;
  soci::statement st;
  std::vector<std::string> values;  // never resized: the statement holds their addresses
  std::vector<soci::indicator> inds;
  long long id = 0;
  bool returns_id = false;
  bool last_rowid = false;  // SQLite: the id is the connection's last insert rowid, not a RETURNING row
};

namespace {
const std::string kReturningId = " RETURNING id";
}

PreparedStatement::PreparedStatement(soci::session& s, const std::string& sql, size_t params, bool returns_id)
    : bound_(std::make_unique<Bound>(s, params)) {
  auto& b = *bound_;
  b.returns_id = returns_id;
  // SQLite runs RETURNING through a temporary table and a row to step past; its last insert rowid
  // is the same id for a single-row INSERT at a fraction of the cost (a sync inserts ~4 rows a record).
  b.last_rowid = returns_id && s.get_backend_name() == "sqlite3" && sql.size() > kReturningId.size() &&
                 sql.compare(sql.size() - kReturningId.size(), kReturningId.size(), kReturningId) == 0;
  b.st.alloc();
  b.st.prepare(b.last_rowid ? sql.substr(0, sql.size() - kReturningId.size()) : sql);
  for (size_t i = 0; i < params; ++i) b.st.exchange(soci::use(b.values[i], b.inds[i]));
  if (returns_id && !b.last_rowid) b.st.exchange(soci::into(b.id));
  b.st.define_and_bind();
}

PreparedStatement::~PreparedStatement() = default;

void PreparedStatement::set(size_t i, std::optional<std::string> value) {
  auto& b = *bound_;
  b.inds.at(i) = value ? soci::i_ok : soci::i_null;
  b.values[i] = value ? std::move(*value) : std::string();
}

std::int64_t PreparedStatement::execute() {
  auto& b = *bound_;
  b.id = 0;
  b.st.execute(true);
  if (b.last_rowid) {
    b.session.get_last_insert_id("", b.id);
    return b.id;
  }
  // Step past the one RETURNING row, so no statement is left half-read when the transaction commits.
  if (b.returns_id) {
    long long id = b.id;
    while (b.st.fetch()) {
    }
    b.id = id;
  }
  return b.id;
}

long long PreparedStatement::affected_rows() { return bound_->st.get_affected_rows(); }

PreparedStatement& StatementCache::get(const std::string& sql, size_t params, bool returns_id) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return *it->second;
  auto made = std::make_unique<PreparedStatement>(s_, sql, params, returns_id);
  return *statements_.emplace(sql, std::move(made)).first->second;
}

}  // namespace cairn::store
