// The ETA a sync shows: the rest of what the last full sync read, at this run's rate so far.
#include <gtest/gtest.h>

#include "sync/engine.h"

using cairn::sync::Progress;

TEST(SyncProgress, Eta_IsTheRestAtTheRateSoFar) {
  Progress p;
  p.run_records = 2500;
  p.run_seconds = 5;  // 500 records/s
  p.expected_records = 10000;
  EXPECT_DOUBLE_EQ(p.eta_seconds(), 15.0);
}

TEST(SyncProgress, Eta_UnknownWithoutAPreviousFullSyncOrBeforeTheFirstRecord) {
  Progress first_ever;
  first_ever.run_records = 100;
  first_ever.run_seconds = 1;
  EXPECT_LT(first_ever.eta_seconds(), 0);
  Progress just_started;
  just_started.expected_records = 1000;
  EXPECT_LT(just_started.eta_seconds(), 0);
}

TEST(SyncProgress, Eta_IsZeroOnceMoreThanExpectedHasBeenRead) {
  Progress p;
  p.run_records = 1200;
  p.run_seconds = 2;
  p.expected_records = 1000;
  EXPECT_DOUBLE_EQ(p.eta_seconds(), 0.0);
}
