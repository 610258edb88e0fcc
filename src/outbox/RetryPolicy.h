// When to try again after a failed upload: exponential backoff with full jitter, as data.
#pragma once

#include <cstdint>

namespace leadoutbox {

struct RetryPolicy {
  std::int64_t baseMs = 1000;     // first retry waits up to this
  std::int64_t capMs = 5 * 60 * 1000;  // no wait is longer than this (except a server's Retry-After)

  // Delay before the next try after `failures` consecutive failed requests (≥ 1).
  // `random01` in [0, 1) comes from the caller (the core has no randomness):
  // full jitter, random01 × min(cap, base × 2^(failures − 1)). A server's
  // Retry-After (`retryAfterMs`, 0 if none) is a floor, never shortened.
  std::int64_t delayMs(int failures, double random01, std::int64_t retryAfterMs) const;
};

}  // namespace leadoutbox
