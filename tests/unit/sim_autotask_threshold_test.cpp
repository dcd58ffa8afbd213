// Autotask's latency near the hourly request threshold (assumption T5): none below half the
// budget, half the maximum at 50 % rising linearly to the maximum at 100 %, off when 0.
#include <gtest/gtest.h>

#include "sim/autotask/threshold_latency.h"

using cairn::sim::autotask::threshold_latency_ms;

TEST(AutotaskThresholdLatency, NoneBelowHalfTheBudget) {
  EXPECT_EQ(threshold_latency_ms(1, 10000, 1000), 0);
  EXPECT_EQ(threshold_latency_ms(4999, 10000, 1000), 0);
  EXPECT_EQ(threshold_latency_ms(2, 5, 1000), 0);  // 40 %
}

TEST(AutotaskThresholdLatency, HalfAtFiftyPercentRisingToTheMaximum) {
  EXPECT_EQ(threshold_latency_ms(5000, 10000, 1000), 500);
  EXPECT_EQ(threshold_latency_ms(7500, 10000, 1000), 750);
  EXPECT_EQ(threshold_latency_ms(10000, 10000, 1000), 1000);
  EXPECT_EQ(threshold_latency_ms(3, 5, 1000), 600);
  // Never past the maximum, even if the window somehow holds more than the limit.
  EXPECT_EQ(threshold_latency_ms(12000, 10000, 1000), 1000);
  // Monotonic over the whole range.
  int last = 0;
  for (int n = 1; n <= 1000; ++n) {
    const int ms = threshold_latency_ms(n, 1000, 800);
    EXPECT_GE(ms, last) << n;
    last = ms;
  }
}

TEST(AutotaskThresholdLatency, ZeroMaximumOrNoLimitTurnsItOff) {
  EXPECT_EQ(threshold_latency_ms(10000, 10000, 0), 0);
  EXPECT_EQ(threshold_latency_ms(10, 0, 1000), 0);
  EXPECT_EQ(threshold_latency_ms(0, 10, 1000), 0);
}
