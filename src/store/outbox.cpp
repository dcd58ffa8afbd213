#include "store/outbox.h"

#include <soci/soci.h>

#include <condition_variable>
#include <mutex>

#include "core/time.h"

namespace cairn::store {
namespace {

const char* kColumns =
    "SELECT CAST(id AS TEXT), CAST(integration_id AS TEXT), entity, CAST(local_id AS TEXT), operation, payload, state, "
    "CAST(attempts AS TEXT), next_attempt_at, last_error, created_at FROM outbox ";

OutboxRow read_row(const soci::row& r) {
  auto text = [&](size_t i) { return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i); };
  OutboxRow o;
  o.id = std::stoll(text(0));
  o.integration_id = std::stoll(text(1));
  o.entity = text(2);
  o.local_id = std::stoll(text(3));
  o.operation = text(4);
  o.payload = text(5);
  o.state = text(6);
  o.attempts = std::stoi(text(7));
  o.next_attempt_at = text(8);
  o.last_error = text(9);
  o.created_at = text(10);
  return o;
}

std::mutex bell_mutex;
std::condition_variable bell;
std::uint64_t rings = 0;

}  // namespace

std::int64_t Outbox::enqueue(std::int64_t integration_id, const std::string& entity, std::int64_t local_id,
                             const std::string& operation, const std::string& payload) {
  const std::string now = core::now_rfc3339();
  long long id = 0;
  s_ << "INSERT INTO outbox (integration_id, entity, local_id, operation, payload, state, next_attempt_at, created_at, "
        "updated_at) VALUES (:i, :e, :l, :o, :p, 'pending', :n, :c, :u) RETURNING id",
      soci::use(integration_id), soci::use(entity), soci::use(local_id), soci::use(operation), soci::use(payload),
      soci::use(now), soci::use(now), soci::use(now), soci::into(id);
  return id;
}

void Outbox::not_pushed(std::int64_t integration_id, const std::string& entity, std::int64_t local_id,
                        const std::string& reason) {
  s_ << "DELETE FROM outbox WHERE entity = :e AND local_id = :l AND state = 'not-pushed'", soci::use(entity),
      soci::use(local_id);
  const std::string now = core::now_rfc3339(), never = kNeverDue;
  s_ << "INSERT INTO outbox (integration_id, entity, local_id, operation, payload, state, next_attempt_at, last_error, "
        "created_at, updated_at) VALUES (:i, :e, :l, 'create', '{}', 'not-pushed', :n, :r, :c, :u)",
      soci::use(integration_id), soci::use(entity), soci::use(local_id), soci::use(never), soci::use(reason),
      soci::use(now), soci::use(now);
}

bool Outbox::create_unfinished(const std::string& entity, std::int64_t local_id) {
  long long n = 0;
  s_ << "SELECT COUNT(*) FROM outbox WHERE entity = :e AND local_id = :l AND operation = 'create' "
        "AND state IN ('pending', 'failed')",
      soci::use(entity), soci::use(local_id), soci::into(n);
  return n > 0;
}

std::set<std::int64_t> Outbox::creates_unfinished(const std::string& entity) {
  std::set<std::int64_t> out;
  soci::rowset<std::string> rs = (s_.prepare << "SELECT CAST(local_id AS TEXT) FROM outbox WHERE entity = :e AND "
                                                "operation = 'create' AND state IN ('pending', 'failed')",
                                  soci::use(entity));
  for (const auto& id : rs) out.insert(std::stoll(id));
  return out;
}

std::optional<OutboxRow> Outbox::lease(std::chrono::milliseconds lease) {
  const auto now_tp = core::Clock::now();
  const std::string now = core::rfc3339(now_tp), until = core::rfc3339(now_tp + lease);
  Transaction tx(s_, d_);
  // The outer condition is checked again on the row itself, so of two pushers racing for one
  // row on PostgreSQL the second updates nothing; SQLite runs writers one at a time.
  long long id = 0;
  soci::indicator ind = soci::i_null;
  // SET reads the row as it was: a lease_until still there is a lease that ran out unsettled.
  s_ << "UPDATE outbox SET attempts = attempts + CASE WHEN lease_until IS NULL THEN 0 ELSE 1 END, "
        "lease_until = :until, updated_at = :now1 WHERE id = ("
        "SELECT o.id FROM outbox o WHERE o.state IN ('pending', 'failed') AND o.next_attempt_at <= :now2 "
        "AND (o.lease_until IS NULL OR o.lease_until < :now3) AND NOT EXISTS (SELECT 1 FROM outbox p "
        "WHERE p.entity = o.entity AND p.local_id = o.local_id AND p.id < o.id AND p.state IN ('pending', 'failed')) "
        "ORDER BY o.next_attempt_at, o.id LIMIT 1) AND (lease_until IS NULL OR lease_until < :now4) RETURNING id",
      soci::use(until), soci::use(now), soci::use(now), soci::use(now), soci::use(now), soci::into(id, ind);
  if (ind != soci::i_ok) return std::nullopt;
  auto row = get(id);
  tx.commit();
  return row;
}

std::optional<std::string> Outbox::next_due() {
  std::string at;
  soci::indicator ind = soci::i_null;
  s_ << "SELECT MIN(next_attempt_at) FROM outbox WHERE state IN ('pending', 'failed')", soci::into(at, ind);
  if (ind != soci::i_ok) return std::nullopt;
  return at;
}

void Outbox::mark_pushed(std::int64_t id) {
  const std::string now = core::now_rfc3339();
  s_ << "UPDATE outbox SET state = 'pushed', attempts = attempts + 1, last_error = NULL, lease_until = NULL, "
        "updated_at = :n WHERE id = :i",
      soci::use(now), soci::use(id);
}

void Outbox::mark_failed(std::int64_t id, const std::string& error, const std::string& next_attempt_at) {
  const std::string now = core::now_rfc3339();
  s_ << "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = :e, next_attempt_at = :at, "
        "lease_until = NULL, updated_at = :n WHERE id = :i",
      soci::use(error), soci::use(next_attempt_at), soci::use(now), soci::use(id);
}

core::Result<OutboxRow> Outbox::failed(std::int64_t id, const char* verb) {
  auto row = get(id);
  if (!row) return core::not_found("outbox row " + std::to_string(id) + " does not exist");
  if (row->state != "failed")
    return core::conflict("outbox row " + std::to_string(id) + " is " + row->state + "; only a failed push can be " + verb);
  return *row;
}

core::Result<OutboxRow> Outbox::retry(std::int64_t id) {
  auto row = failed(id, "retried");
  if (!row) return row;
  const std::string now = core::now_rfc3339();
  s_ << "UPDATE outbox SET state = 'pending', next_attempt_at = :at, lease_until = NULL, updated_at = :n WHERE id = :i",
      soci::use(now), soci::use(now), soci::use(id);
  return *get(id);
}

core::Result<OutboxRow> Outbox::drop(std::int64_t id) {
  auto row = failed(id, "dropped");
  if (!row) return row;
  const std::string now = core::now_rfc3339();
  s_ << "UPDATE outbox SET state = 'dropped', lease_until = NULL, updated_at = :n WHERE id = :i", soci::use(now),
      soci::use(id);
  return *get(id);
}

std::optional<std::int64_t> Outbox::failed_row_of(const std::string& entity, std::int64_t local_id) {
  long long id = 0;
  soci::indicator ind = soci::i_null;
  s_ << "SELECT MIN(id) FROM outbox WHERE entity = :e AND local_id = :l AND state = 'failed'", soci::use(entity),
      soci::use(local_id), soci::into(id, ind);
  if (ind != soci::i_ok) return std::nullopt;
  return id;
}

std::optional<OutboxRow> Outbox::get(std::int64_t id) {
  soci::rowset<soci::row> rs = (s_.prepare << std::string(kColumns) + "WHERE id = :i", soci::use(id));
  for (const auto& r : rs) return read_row(r);
  return std::nullopt;
}

std::vector<OutboxRow> Outbox::list(const std::string& state, int limit) {
  std::vector<OutboxRow> out;
  std::string sql = std::string(kColumns) + (state.empty() ? "" : "WHERE state = :s ") + "ORDER BY id DESC LIMIT " +
                    std::to_string(limit);
  auto collect = [&](soci::rowset<soci::row>& rs) {
    for (const auto& r : rs) out.push_back(read_row(r));
  };
  if (state.empty()) {
    soci::rowset<soci::row> rs = (s_.prepare << sql);
    collect(rs);
  } else {
    soci::rowset<soci::row> rs = (s_.prepare << sql, soci::use(state));
    collect(rs);
  }
  return out;
}

void ring_outbox_bell() {
  {
    std::lock_guard lock(bell_mutex);
    ++rings;
  }
  bell.notify_all();
}

void wait_for_outbox_bell(std::uint64_t& seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(bell_mutex);
  bell.wait_for(lock, timeout, [&] { return rings != seen; });
  seen = rings;
}

}  // namespace cairn::store
