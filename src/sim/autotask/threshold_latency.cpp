#include "sim/autotask/threshold_latency.h"

#include <algorithm>
#include <cstdint>

namespace cairn::sim::autotask {

int threshold_latency_ms(int requests_in_window, int hourly_limit, int max_ms) {
  if (max_ms <= 0 || hourly_limit <= 0 || requests_in_window <= 0) return 0;
  // Integer arithmetic: 2 * count < limit is "below 50 %" without rounding doubts.
  const std::int64_t count = std::min(requests_in_window, hourly_limit);
  if (2 * count < hourly_limit) return 0;
  // usage u = count/limit in [0.5, 1]: max/2 + max/2 * (u - 0.5) / 0.5 = max * count / limit.
  return static_cast<int>(static_cast<std::int64_t>(max_ms) * count / hourly_limit);
}

}  // namespace cairn::sim::autotask
