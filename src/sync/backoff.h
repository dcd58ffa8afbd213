#pragma once
// D14: when a failed push is tried again. Exponential (base · 2^(attempt-1), at most `cap`) with
// "equal jitter": half the delay fixed, half random, so a PSA that comes back is not hit by every
// waiting push at the same instant. Pure: the caller draws `random` in [0, 1).
#include <chrono>

namespace cairn::sync {

struct BackoffPolicy {
  std::chrono::milliseconds base{1000};
  std::chrono::milliseconds cap{std::chrono::minutes(15)};
};

// The wait after the `attempt`-th failure (1 for the first).
std::chrono::milliseconds backoff_delay(const BackoffPolicy& p, int attempt, double random);

}  // namespace cairn::sync
