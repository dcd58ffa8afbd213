#include "sync/backoff.h"

#include <algorithm>

namespace cairn::sync {

std::chrono::milliseconds backoff_delay(const BackoffPolicy& p, int attempt, double random) {
  const double cap = static_cast<double>(p.cap.count());
  double full = static_cast<double>(p.base.count());
  for (int i = 1; i < attempt && full < cap; ++i) full *= 2;  // stops doubling at the cap: no overflow
  full = std::min(full, cap);
  random = std::clamp(random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(full / 2 + full / 2 * random));
}

}  // namespace cairn::sync
