#pragma once
// Pulls the records PSA change notices name (webhooks), on one background thread of `cairn
// serve`, so the PSA's POST is answered at once. A record named again while its pull still waits
// is pulled once: ConnectWise and Autotask send bursts (one notice per changed field group, or
// per save), and one read gets the record as it is now.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "psa/change_notice.h"
#include "store/database.h"

namespace cairn::sync {

class NoticePuller {
 public:
  // window: how long a notice waits before its pull, for its burst to arrive (well under a second).
  explicit NoticePuller(store::Database& db, std::chrono::milliseconds window = std::chrono::milliseconds(150));
  ~NoticePuller();
  NoticePuller(const NoticePuller&) = delete;
  NoticePuller& operator=(const NoticePuller&) = delete;

  void start();
  void stop();  // waits for the pull in progress; what still waits is dropped (the schedule catches it up)

  // Queues a pull of the named record, its audit rows naming `actor`. False when a pull of the
  // same record is waiting already (the two become one).
  bool enqueue(std::int64_t integration_id, const psa::RecordNotice& notice, const std::string& actor);
  // Waits until nothing waits or runs; false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  struct Pull {
    std::int64_t integration_id = 0;
    psa::RecordNotice notice;
    std::string actor;
    std::string key;
    std::chrono::steady_clock::time_point due;
  };
  void loop();
  void pull(const Pull& p);

  store::Database& db_;
  std::chrono::milliseconds window_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pull> queue_;  // in arrival order, so in due order
  std::set<std::string> waiting_;
  bool running_pull_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace cairn::sync
