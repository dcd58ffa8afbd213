// Fault settings: parsing, validation and the throttle window.
#include <gtest/gtest.h>

#include "sim/faults.h"

using namespace cairn::sim;

TEST(SimFaults, ThrottleTextIsRequestsPerWindow) {
  auto s = std::get<FaultSettings>(parse_throttle("100/60", {}));
  EXPECT_EQ(s.throttle_requests, 100);
  EXPECT_EQ(s.throttle_window_seconds, 60);
  EXPECT_EQ(std::get<FaultSettings>(parse_throttle("5", {})).throttle_window_seconds, 1);
  EXPECT_EQ(std::get<FaultSettings>(parse_throttle("off", s)).throttle_requests, 0);
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_throttle("fast", {})));
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_throttle("5/0", {})));
}

TEST(SimFaults, JsonChangesOnlyTheGivenFieldsAndRejectsBadValues) {
  FaultSettings base;
  base.latency_ms = 20;
  auto r = apply_json(base, R"({"fail_rate":0.5})");
  ASSERT_TRUE(std::holds_alternative<FaultSettings>(r));
  EXPECT_EQ(std::get<FaultSettings>(r).fail_rate, 0.5);
  EXPECT_EQ(std::get<FaultSettings>(r).latency_ms, 20);
  EXPECT_TRUE(std::holds_alternative<std::string>(apply_json(base, R"({"fail_rate":2})")));
  EXPECT_TRUE(std::holds_alternative<std::string>(apply_json(base, R"({"typo":1})")));
  EXPECT_TRUE(std::holds_alternative<std::string>(apply_json(base, "nope")));
}

TEST(SimFaults, ThrottleAllowsNPerWindowThenAsksToRetryWhenItEnds) {
  FaultSettings s;
  s.throttle_requests = 2;
  s.throttle_window_seconds = 10;
  Faults f(s);
  const std::int64_t t0 = 1'000'000'000'000;  // a window boundary (multiple of 10 s)
  EXPECT_EQ(f.decide(t0).outcome, Faults::Outcome::Pass);
  EXPECT_EQ(f.decide(t0 + 1000).outcome, Faults::Outcome::Pass);
  auto d = f.decide(t0 + 2500);
  EXPECT_EQ(d.outcome, Faults::Outcome::Throttle);
  EXPECT_EQ(d.retry_after_seconds, 8);  // 7.5 s left, rounded up
  EXPECT_EQ(f.decide(t0 + 10'000).outcome, Faults::Outcome::Pass);  // next window
}

TEST(SimFaults, RatesOfOneAlwaysAndZeroNeverInject) {
  FaultSettings s;
  s.fail_rate = 1;
  Faults always(s);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(always.decide(i).outcome, Faults::Outcome::Fail);
  Faults never{FaultSettings{}};
  for (int i = 0; i < 50; ++i) EXPECT_EQ(never.decide(i).outcome, Faults::Outcome::Pass);
}
