#pragma once
// Statements prepared once and run many times. A bulk write (a sync's batch of 500 creates)
// runs the same few INSERTs over and over; preparing each one anew made SQL parsing a large
// part of the cost. On SQLite they run through SQLite's own API (SOCI copied every value on
// every execute), each parameter bound as its own type; on PostgreSQL through SOCI, every
// parameter as text with a null indicator, as in records.cpp. Either way a failure is a
// soci::soci_error with the database's message.
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

// A parameter's value: NULL, an integer or text. An integer bound as text costs SQLite a
// conversion on every row it stores (12 % of its INSERT work in a first sync: bench_sync's
// store floor, 23.2 s against 20.5 s at 1,000,000 configurations).
class Param {
 public:
  enum class Kind : unsigned char { Null, Integer, Text };
  Param() = default;
  Param(std::nullopt_t) {}
  Param(std::int64_t v) : kind_(Kind::Integer), integer_(v) {}
  Param(std::string v) : kind_(Kind::Text), text_(std::move(v)) {}
  Param(const char* v) : kind_(Kind::Text), text_(v) {}
  Param(std::optional<std::string> v) {
    if (v) *this = Param(std::move(*v));
  }
  Param(std::optional<std::int64_t> v) {
    if (v) *this = Param(*v);
  }

  Kind kind() const { return kind_; }
  std::int64_t integer() const { return integer_; }
  const std::string& text() const { return text_; }
  // The value as text, as PostgreSQL takes every parameter; nullopt for NULL.
  std::optional<std::string> as_text() &&;

 private:
  Kind kind_ = Kind::Null;
  std::int64_t integer_ = 0;
  std::string text_;
};

class PreparedStatement {
 public:
  // `params` positional parameters; `returns_id`: the statement ends in RETURNING id.
  PreparedStatement(soci::session& s, const std::string& sql, size_t params, bool returns_id);
  ~PreparedStatement();
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  void set(size_t i, Param value);
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
