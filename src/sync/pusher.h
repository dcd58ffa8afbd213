#pragma once
// D14's sender, beside the scheduler in `cairn serve`: takes due outbox rows (store/outbox.h)
// one at a time under a lease, sends each through the integration's connector, and records
// the outcome. After a push it keeps the PSA's answer as the link's fingerprint, so the next
// pull of the same values changes nothing and pushes nothing (R18). Woken at once by saves in
// this process; polls for rows other processes write.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "psa/source.h"
#include "store/database.h"
#include "store/outbox.h"
#include "sync/backoff.h"

namespace cairn::store {
struct Integration;
}

namespace cairn::sync {

struct PusherOptions {
  std::chrono::milliseconds poll{std::chrono::seconds(2)};  // for rows written by other processes
  std::chrono::milliseconds lease{std::chrono::seconds(60)};
  BackoffPolicy backoff;
  // Called after each row is settled (pushed or failed), on the pusher's thread.
  std::function<void(const store::OutboxRow& row, const std::string& state)> on_settled;
};

class Pusher {
 public:
  explicit Pusher(store::Database& db, PusherOptions options = {});
  ~Pusher();
  void start();
  void stop();  // waits for the push in progress
  // Sends every row due now, in order; returns how many were settled. The worker's one step,
  // also run directly by tests and `cairn outbox push`.
  int run_due();

 private:
  void loop();
  // "pushed", or "failed" with the row's new error.
  std::string push(const store::OutboxRow& row);
  psa::Source& source_for(const store::Integration& integration);

  store::Database& db_;
  PusherOptions options_;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
  std::mt19937_64 random_{std::random_device{}()};
  // One connector per integration, kept while its settings and credentials stay as they were.
  struct Cached {
    std::string updated_at;
    std::unique_ptr<psa::Source> source;
  };
  std::map<std::int64_t, Cached> sources_;
  std::mutex run_mutex_;  // run_due from a test and the worker never interleave
};

}  // namespace cairn::sync
