// Tests for src/outbox/RetryPolicy.cpp: backoff growth, cap, jitter and Retry-After.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "outbox/RetryPolicy.h"

using namespace leadoutbox;

TEST_CASE("backoff doubles from the base up to the cap, scaled by jitter", "[retry]") {
  RetryPolicy p{1000, 8000};
  CHECK(p.delayMs(1, 0.999999, 0) == 999);
  CHECK(p.delayMs(2, 0.5, 0) == 1000);
  CHECK(p.delayMs(3, 0.5, 0) == 2000);
  CHECK(p.delayMs(4, 0.5, 0) == 4000);
  CHECK(p.delayMs(5, 0.5, 0) == 4000);   // capped at 8000 × 0.5
  CHECK(p.delayMs(60, 0.5, 0) == 4000);  // no overflow for long outages
  CHECK(p.delayMs(3, 0.0, 0) == 0);      // full jitter reaches zero
}

TEST_CASE("Retry-After is a floor that jitter never shortens", "[retry]") {
  RetryPolicy p{1000, 8000};
  CHECK(p.delayMs(1, 0.1, 2000) == 2000);
  CHECK(p.delayMs(5, 0.9, 2000) == 7200);
  CHECK(p.delayMs(1, 0.5, 600000) == 600000);  // beyond the cap too
}

TEST_CASE("a NaN jitter waits the full ceiling instead of casting NaN", "[retry]") {
  RetryPolicy p{1000, 8000};
  CHECK(p.delayMs(2, std::numeric_limits<double>::quiet_NaN(), 0) == 2000);
  RetryPolicy huge{std::numeric_limits<std::int64_t>::max() / 2 + 1, std::numeric_limits<std::int64_t>::max()};
  CHECK(huge.delayMs(3, 1.0, 0) > 0);  // doubling saturates at the cap instead of overflowing
}
