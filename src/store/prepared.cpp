#include "store/prepared.h"

#include <soci/soci.h>

namespace cairn::store {

struct PreparedStatement::Bound {
  explicit Bound(soci::session& s, size_t params) : st(s), values(params), inds(params, soci::i_null) {}
  soci::statement st;
  std::vector<std::string> values;  // never resized: the statement holds their addresses
  std::vector<soci::indicator> inds;
  long long id = 0;
  bool returns_id = false;
};

PreparedStatement::PreparedStatement(soci::session& s, const std::string& sql, size_t params, bool returns_id)
    : bound_(std::make_unique<Bound>(s, params)) {
  auto& b = *bound_;
  b.returns_id = returns_id;
  b.st.alloc();
  b.st.prepare(sql);
  for (size_t i = 0; i < params; ++i) b.st.exchange(soci::use(b.values[i], b.inds[i]));
  if (returns_id) b.st.exchange(soci::into(b.id));
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
