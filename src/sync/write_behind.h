#pragma once
// Writes a sync's batches on a thread of their own, in the order they came, while the planner goes
// on with the next records. At a million configurations the writes were most of the run's CPU and
// the planner waited on every one (issue 4, bench_sync). At most `depth` batches wait, so memory
// stays bounded; a failed write stops the writing, and the next submit() or drain() rethrows it.
// Written batches are freed on the submitting thread, at its next submit() or drain(): the writer
// is the thread a first sync waits on, and freeing its batches' actions was about a tenth of its
// profile samples at a million records.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace cairn::sync {

template <typename Batch>
class WriteBehind {
 public:
  // threaded = false writes each batch in submit(), on the caller's thread (a plan, or no spare
  // database session for a second thread).
  WriteBehind(std::function<void(Batch&)> write, bool threaded, size_t depth = 2)
      : write_(std::move(write)), depth_(depth < 1 ? 1 : depth) {
    if (threaded) worker_ = std::thread([this] { run(); });
  }

  // Writes what is queued (they were whole batches when the run stopped), then ends the thread.
  ~WriteBehind() {
    {
      std::lock_guard lock(m_);
      closing_ = true;
    }
    changed_.notify_all();
    if (worker_.joinable()) worker_.join();
  }

  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  void submit(Batch batch) {
    if (!worker_.joinable()) {
      write_(batch);
      return;
    }
    std::deque<Batch> written;  // freed here, after `lock` lets go
    std::unique_lock lock(m_);
    changed_.wait(lock, [&] { return error_ || queue_.size() < depth_; });
    written.swap(written_);
    if (error_) std::rethrow_exception(error_);
    queue_.push_back(std::move(batch));
    changed_.notify_all();
  }

  // Returns once every submitted batch is written; what the writes left behind is then safe to read.
  void drain() {
    if (!worker_.joinable()) return;
    std::deque<Batch> written;
    std::unique_lock lock(m_);
    changed_.wait(lock, [&] { return error_ || (queue_.empty() && !busy_); });
    written.swap(written_);
    if (error_) std::rethrow_exception(error_);
  }

  // As drain(), but a failed write is not thrown again: for a run already ending on another failure.
  void drain_quietly() noexcept {
    try {
      drain();
    } catch (...) {
    }
  }

 private:
  void run() {
    std::unique_lock lock(m_);
    for (;;) {
      changed_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty() || error_) return;  // closing with nothing left, or a write failed
      Batch batch = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      lock.unlock();
      std::exception_ptr failed;
      try {
        write_(batch);
      } catch (...) {
        failed = std::current_exception();
      }
      lock.lock();
      busy_ = false;
      written_.push_back(std::move(batch));
      if (failed) {
        error_ = failed;
        queue_.clear();
      }
      changed_.notify_all();
    }
  }

  std::function<void(Batch&)> write_;
  const size_t depth_;
  std::mutex m_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;
  std::deque<Batch> written_;  // for the submitting thread to free
  bool busy_ = false;
  bool closing_ = false;
  std::exception_ptr error_;
  std::thread worker_;  // last: it starts once everything above exists
};

}  // namespace cairn::sync
