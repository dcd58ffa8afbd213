// The engine's write-behind: batches are written in the order they came, on another thread; a
// failed write reaches the planner at its next submit or drain and nothing after it is written;
// what is queued when the run ends is still written; written batches are freed by the submitter.
#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sync/write_behind.h"

using namespace cairn;

TEST(WriteBehind, WritesEveryBatchInOrderOnAnotherThread) {
  std::vector<int> written;
  std::thread::id writer_thread;
  sync::WriteBehind<int> behind(
      [&](int& batch) {
        writer_thread = std::this_thread::get_id();
        written.push_back(batch);
      },
      true);
  for (int i = 0; i < 100; ++i) behind.submit(i);
  behind.drain();
  ASSERT_EQ(written.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(written[i], i);
  EXPECT_NE(writer_thread, std::this_thread::get_id());
}

TEST(WriteBehind, NotThreaded_WritesInSubmitOnTheCallersThread) {
  std::vector<std::thread::id> threads;
  sync::WriteBehind<int> behind([&](int&) { threads.push_back(std::this_thread::get_id()); }, false);
  behind.submit(1);
  ASSERT_EQ(threads.size(), 1u);  // written before submit returned
  EXPECT_EQ(threads[0], std::this_thread::get_id());
}

TEST(WriteBehind, AFailedWriteIsThrownAtTheNextDrainAndStopsTheWriting) {
  std::vector<int> written;
  sync::WriteBehind<int> behind(
      [&](int& batch) {
        if (batch == 3) throw std::runtime_error("database is locked");
        written.push_back(batch);
      },
      true);
  try {
    for (int i = 0; i < 10; ++i) behind.submit(i);
    behind.drain();
    FAIL() << "the failed write was not reported";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "database is locked");
  }
  EXPECT_EQ(written, (std::vector<int>{0, 1, 2}));
  EXPECT_THROW(behind.submit(11), std::runtime_error);
  behind.drain_quietly();  // does not throw again
}

TEST(WriteBehind, QueuedBatchesAreWrittenWhenTheRunEnds) {
  std::vector<int> written;
  {
    sync::WriteBehind<int> behind([&](int& batch) { written.push_back(batch); }, true, 4);
    for (int i = 0; i < 4; ++i) behind.submit(i);
  }  // no drain: a run that failed in the planner
  EXPECT_EQ(written, (std::vector<int>{0, 1, 2, 3}));
}

// A batch that notes the thread it is freed on (moved-from shells note nothing).
struct NotesWhereFreed {
  struct Log {
    std::mutex m;
    std::vector<std::thread::id> threads;
  };
  Log* log = nullptr;
  explicit NotesWhereFreed(Log* l) : log(l) {}
  NotesWhereFreed(NotesWhereFreed&& o) noexcept : log(o.log) { o.log = nullptr; }
  NotesWhereFreed& operator=(NotesWhereFreed&& o) noexcept {
    std::swap(log, o.log);
    return *this;
  }
  ~NotesWhereFreed() {
    if (!log) return;
    std::lock_guard lock(log->m);
    log->threads.push_back(std::this_thread::get_id());
  }
};

TEST(WriteBehind, WrittenBatchesAreFreedOnTheSubmittingThread_NotTheWriters) {
  NotesWhereFreed::Log log;
  std::thread::id writer_thread;
  {
    sync::WriteBehind<NotesWhereFreed> behind([&](NotesWhereFreed&) { writer_thread = std::this_thread::get_id(); }, true);
    for (int i = 0; i < 50; ++i) behind.submit(NotesWhereFreed(&log));
    behind.drain();
    std::lock_guard lock(log.m);
    EXPECT_EQ(log.threads.size(), 50u);  // all written, and all freed by drain() at the latest
  }
  ASSERT_EQ(log.threads.size(), 50u);
  EXPECT_NE(writer_thread, std::this_thread::get_id());
  for (const auto& t : log.threads) EXPECT_EQ(t, std::this_thread::get_id());
}
