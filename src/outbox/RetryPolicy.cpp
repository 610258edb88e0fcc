// Backoff arithmetic, kept apart so native tests can pin every boundary.
#include "outbox/RetryPolicy.h"

#include <algorithm>

namespace leadoutbox {

std::int64_t RetryPolicy::delayMs(int failures, double random01, std::int64_t retryAfterMs) const {
  std::int64_t ceiling = baseMs;
  for (int i = 1; i < failures && ceiling < capMs; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, capMs);
  const double r = std::clamp(random01, 0.0, 1.0);
  const auto jittered = static_cast<std::int64_t>(r * static_cast<double>(ceiling));
  return std::max(jittered, std::clamp<std::int64_t>(retryAfterMs, 0, maxRetryAfterMs));
}

}  // namespace leadoutbox
