#pragma once
// D11 in `cairn serve`: an incremental pull per integration every few minutes, a full reconcile
// every few hours, and sync-now requests, one run per integration at a time, on one worker.
// The same worker runs each directory source's import when it is due (D23: schedule_hours after
// its last import, done or failed; store/directory_import_runs.h).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "store/database.h"

namespace cairn::sync {

class Scheduler {
 public:
  // tick: how often it looks at the schedule; with due_runs false it runs only what is requested.
  Scheduler(store::Database& db, std::chrono::milliseconds tick = std::chrono::seconds(30), bool due_runs = true);
  ~Scheduler();
  void start();
  void stop();  // waits for the run in progress
  // Queues a run now (D11's "sync now"); false when one is queued or running for it already.
  bool request(std::int64_t integration_id, bool full);
  bool busy(std::int64_t integration_id);
  // Runs every directory import that is due now, one after another; returns how many ran
  // (done or failed, each in the import log). The worker's step, also run directly by tests.
  int run_due_imports();

 private:
  void loop();
  void run_one(std::int64_t integration_id, bool full);
  void enqueue_due();
  store::Database& db_;
  std::chrono::milliseconds tick_;
  bool due_runs_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<std::int64_t, bool>> queue_;
  std::set<std::int64_t> pending_;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

}  // namespace cairn::sync
