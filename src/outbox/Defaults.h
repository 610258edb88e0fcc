// The one table of sync defaults: the core's structs start from it, and the JS layer's DEFAULTS mirror it (checked by a test).
#pragma once

#include <cstdint>

namespace leadoutbox {

// What a lead takes to be taken for lost in flight, from the request timeout: twice it,
// and then some, so a live tab has surely given up (web/src/store.js uses this formula).
constexpr std::int64_t inFlightTimeoutFor(std::int64_t requestTimeoutMs) { return 2 * requestTimeoutMs + 5000; }

// The values production uses. web/src/store.js DEFAULTS mirrors the ones a site can set
// (tests/node/defaults.test.js compares them with coreDefaultsJson()); native tests that
// do not pass their own get these, so they exercise what production does.
struct Defaults {
  static constexpr int kBatchMaxCount = 250;
  static constexpr std::int64_t kBatchMaxBytes = 512 * 1024;
  static constexpr std::int64_t kRequestTimeoutMs = 15 * 1000;
  static constexpr std::int64_t kInFlightTimeoutMs = inFlightTimeoutFor(kRequestTimeoutMs);
  static constexpr std::int64_t kRetryBaseMs = 1000;
  static constexpr std::int64_t kRetryCapMs = 5 * 60 * 1000;
  static constexpr std::int64_t kMaxRetryAfterMs = 24 * 60 * 60 * 1000;
  static constexpr std::int64_t kKeepSyncedMs = 0;
  // Staff devices keep the replica's leads this long after their createdAt (personal data).
  static constexpr std::int64_t kReplicaRetentionMs = 30LL * 24 * 60 * 60 * 1000;
  // A staff edit whose clock runs further ahead of the server's is rejected as clock_skew
  // (docs/edits.md): a fast device cannot win every later conflict by its wrong clock.
  static constexpr std::int64_t kEditMaxSkewMs = 10 * 60 * 1000;
};

}  // namespace leadoutbox
