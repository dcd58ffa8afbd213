#pragma once
// Statements prepared once and run many times. A bulk write (a sync's batch of 500 creates)
// runs the same few INSERTs over and over; preparing each one anew made SQL parsing a large
// part of the cost. Every parameter travels as text with a null indicator, as in records.cpp.
// On SQLite they run through SQLite's own API (SOCI copied every value on every execute), on
// PostgreSQL through SOCI; either way a failure is a soci::soci_error with the database's message.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace soci {
class session;
}  // namespace soci

namespace cairn::store {

class PreparedStatement {
 public:
  // `params` positional parameters; `returns_id`: the statement ends in RETURNING id.
  PreparedStatement(soci::session& s, const std::string& sql, size_t params, bool returns_id);
  ~PreparedStatement();
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  void set(size_t i, std::optional<std::string> value);
  // Runs the statement with the parameters set; the RETURNING id, else 0.
  std::int64_t execute();
  // Rows the last execute() changed.
  long long affected_rows();

 private:
  struct Bound;  // the SOCI statement and the storage it reads from
  std::unique_ptr<Bound> bound_;
};

// Prepared statements of one session, by their SQL text. Must not outlive the session.
class StatementCache {
 public:
  explicit StatementCache(soci::session& s) : s_(s) {}
  PreparedStatement& get(const std::string& sql, size_t params, bool returns_id = false);

 private:
  soci::session& s_;
  std::unordered_map<std::string, std::unique_ptr<PreparedStatement>> statements_;
};

}  // namespace cairn::store
