#pragma once
// Pulls one entity's records from a connector on a second thread while the engine plans and
// writes the records already fetched: fetching (waiting on the PSA, parsing its JSON) and
// writing (SQL) then overlap instead of taking turns. A bounded queue keeps memory flat.
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "psa/source.h"

namespace cairn::sync {

class Prefetch {
 public:
  // Starts source.pull(e, since, syncing_orgs) at once (handed over, where the source can: owned_pull.h); the source must not be used elsewhere
  // until this object is gone.
  Prefetch(psa::Source& source, core::SyncEntity e, std::string since, std::vector<std::string> syncing_orgs,
           size_t batch = 1000, size_t max_batches = 4);
  // Stops the pull part-way if it is still running, and waits for the thread.
  ~Prefetch();
  Prefetch(const Prefetch&) = delete;
  Prefetch& operator=(const Prefetch&) = delete;

  // The next records in the PSA's order into `out`; false once the pull is done. Rethrows
  // what the pull threw (a PSA failure), once the records fetched before it are taken.
  bool next(std::vector<core::PsaRecord>& out);

 private:
  void push(core::PsaRecord&& r);
  void deliver(bool last, std::exception_ptr error);

  const size_t batch_, max_batches_;
  std::vector<core::PsaRecord> filling_;  // the worker's batch in progress
  std::mutex m_;
  std::condition_variable changed_;
  std::deque<std::vector<core::PsaRecord>> ready_;
  bool done_ = false, cancelled_ = false;
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace cairn::sync
