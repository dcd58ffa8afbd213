#pragma once
// The durable queue of pushes to a PSA (D14, D16): a row is written in the same transaction as
// the edit that causes it, leased by one pusher at a time (lease_until, so two processes never
// both send it), and kept after it is done as the record's push history. States:
//   pending     waiting to be sent
//   failed      the PSA refused or could not be reached; retried at next_attempt_at (a refusal
//               that retrying cannot fix waits for a person: retry or drop)
//   pushed      done
//   dropped     a person gave up on it
//   not-pushed  a create the rules of D16 kept local; last_error says why; never sent
// Rows of one record are sent in order: a row waits while an older one of its record is unfinished.
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/database.h"

namespace soci {
class session;
}

namespace cairn::store {

struct OutboxRow {
  std::int64_t id = 0;
  std::int64_t integration_id = 0;
  std::string entity;     // singular, as psa_links names it: "configuration"
  std::int64_t local_id = 0;
  std::string operation;  // "update" or "create"
  std::string payload;    // JSON (sync/push_payload.h)
  std::string state;
  int attempts = 0;
  std::string next_attempt_at;
  std::string last_error;
  std::string created_at;
};

// When a row that only a person can unblock is due: never, until retried.
inline constexpr const char* kNeverDue = "9999-12-31T23:59:59.999Z";

class Outbox {
 public:
  Outbox(soci::session& s, Dialect d) : s_(s), d_(d) {}

  // A row due now; the caller's transaction makes it durable with the edit.
  std::int64_t enqueue(std::int64_t integration_id, const std::string& entity, std::int64_t local_id,
                       const std::string& operation, const std::string& payload);
  // D16: a create kept local, with why. Replaces the record's earlier not-pushed row.
  void not_pushed(std::int64_t integration_id, const std::string& entity, std::int64_t local_id, const std::string& reason);
  // True when the record has a create waiting or failing (an edit meanwhile needs no row of its own).
  bool create_unfinished(const std::string& entity, std::int64_t local_id);
  // The records of `entity` with such a create.
  std::set<std::int64_t> creates_unfinished(const std::string& entity);

  // Takes the oldest due row no other pusher holds, for `lease`; nullopt when none is due. A row
  // whose earlier lease ran out unsettled (its pusher stopped mid-send) counts that as an attempt:
  // attempts > 0 means an earlier send may have reached the PSA.
  std::optional<OutboxRow> lease(std::chrono::milliseconds lease);
  // The earliest time a row becomes due (RFC 3339), for a pusher deciding how long to sleep.
  std::optional<std::string> next_due();
  void mark_pushed(std::int64_t id);
  void mark_failed(std::int64_t id, const std::string& error, const std::string& next_attempt_at);

  // A person's actions on a failed row: send it again now, or give up on it.
  core::Result<OutboxRow> retry(std::int64_t id);
  core::Result<OutboxRow> drop(std::int64_t id);
  // The record's unfinished row that blocks it (the oldest failed one), if any.
  std::optional<std::int64_t> failed_row_of(const std::string& entity, std::int64_t local_id);

  std::optional<OutboxRow> get(std::int64_t id);
  // Rows in a state ("" for all), newest first.
  std::vector<OutboxRow> list(const std::string& state, int limit = 1000);

 private:
  // The row, when it exists and is failed (what a person may retry or drop).
  core::Result<OutboxRow> failed(std::int64_t id, const char* verb);
  soci::session& s_;
  Dialect d_;
};

// Wakes the pushers of this process at once after a commit that wrote outbox rows; pushers in
// other processes find them by polling.
void ring_outbox_bell();
// Waits until the bell rings or `timeout` passes; `seen` is the ring count last seen, updated.
void wait_for_outbox_bell(std::uint64_t& seen, std::chrono::milliseconds timeout);

}  // namespace cairn::store
