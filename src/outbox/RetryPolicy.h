// When to try again after a failed upload: exponential backoff with full jitter, as data.
#pragma once

#include <cstdint>

#include "outbox/Defaults.h"

namespace leadoutbox {

// Defaults come from the one table (Defaults.h).
struct RetryPolicy {
  std::int64_t baseMs = Defaults::kRetryBaseMs;  // first retry waits up to this
  std::int64_t capMs = Defaults::kRetryCapMs;    // no wait is longer than this (except a server's Retry-After)
  // A lead in flight for longer than this was sent by a tab that closed before it heard
  // back; it is sent again. More than a request's timeout, so a live tab has given up.
  std::int64_t inFlightTimeoutMs = Defaults::kInFlightTimeoutMs;
  // A server's Retry-After is honoured up to this; a longer one is taken as this.
  std::int64_t maxRetryAfterMs = Defaults::kMaxRetryAfterMs;

  // The longest wait delayMs can give. A stored retry time further ahead than this
  // means the clock went back since: the try is due now, not in days.
  std::int64_t longestWaitMs() const { return capMs > maxRetryAfterMs ? capMs : maxRetryAfterMs; }

  // Delay before the next try after `failures` consecutive failed requests (≥ 1).
  // `random01` in [0, 1) comes from the caller (the core has no randomness):
  // full jitter, random01 × min(cap, base × 2^(failures − 1)). A server's
  // Retry-After (`retryAfterMs`, 0 if none, at most maxRetryAfterMs) is a floor.
  std::int64_t delayMs(int failures, double random01, std::int64_t retryAfterMs) const;
};

}  // namespace leadoutbox
