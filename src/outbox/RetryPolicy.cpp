// Backoff arithmetic, kept apart so native tests can pin every boundary.
#include "outbox/RetryPolicy.h"

#include <algorithm>

namespace leadoutbox {

std::int64_t RetryPolicy::delayMs(int failures, double random01, std::int64_t retryAfterMs) const {
  std::int64_t ceiling = std::max<std::int64_t>(baseMs, 0);
  // Doubling stops at the cap, so a large base cannot overflow.
  for (int i = 1; i < failures && ceiling < capMs; ++i) ceiling = ceiling > capMs / 2 ? capMs : ceiling * 2;
  ceiling = std::max<std::int64_t>(std::min(ceiling, capMs), 0);
  // NaN passes through std::clamp and would make the cast below undefined: it waits in full.
  const double r = random01 == random01 ? std::clamp(random01, 0.0, 1.0) : 1.0;
  // Near int64's top, r × ceiling can round up past it: the cast is only for what is below.
  const double scaled = r * static_cast<double>(ceiling);
  const std::int64_t jittered =
      scaled >= static_cast<double>(ceiling) ? ceiling : static_cast<std::int64_t>(scaled);
  return std::max(jittered, std::clamp<std::int64_t>(retryAfterMs, 0, maxRetryAfterMs));
}

}  // namespace leadoutbox
