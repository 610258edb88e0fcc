// Tests for src/edits/Hlc.cpp: Kulkarni's send and receive rules and the fixed-width text form.
#include <catch2/catch.hpp>

#include "edits/Hlc.h"

using namespace leadoutbox;

TEST_CASE("a local event takes physical time when it is ahead of the clock") {
  CHECK(hlcSend({1000, 7}, 2000) == Hlc{2000, 0});
}

TEST_CASE("a local event never runs the clock backwards when physical time does") {
  const Hlc a = hlcSend({5000, 3}, 4000);
  CHECK(a == Hlc{5000, 4});
  CHECK(hlcSend(a, 4000) == Hlc{5000, 5});
}

TEST_CASE("receiving a clock from the future moves past it, not to physical time") {
  CHECK(hlcReceive({1000, 2}, {9000, 4}, 1500) == Hlc{9000, 5});
  // Equal walls: one past the larger counter.
  CHECK(hlcReceive({9000, 8}, {9000, 4}, 1500) == Hlc{9000, 9});
  CHECK(hlcReceive({9000, 2}, {9000, 4}, 1500) == Hlc{9000, 5});
  // Own wall ahead: own counter + 1.
  CHECK(hlcReceive({9000, 8}, {3000, 40}, 1500) == Hlc{9000, 9});
  // Physical time ahead of both: counter resets.
  CHECK(hlcReceive({1000, 8}, {3000, 40}, 5000) == Hlc{5000, 0});
}

TEST_CASE("a full counter carries into the next millisecond") {
  CHECK(hlcSend({1000, kHlcMaxCounter}, 1000) == Hlc{1001, 0});
  CHECK(hlcReceive({1000, kHlcMaxCounter}, {1000, 1}, 10) == Hlc{1001, 0});
}

TEST_CASE("the clock text is fixed-width so text order is clock order") {
  CHECK(formatHlc({1764547200000, 3}) == "0001764547200000-000003");
  CHECK(formatHlc({0, 0}) == "0000000000000000-000000");
  CHECK(formatHlc({kHlcMaxWall, kHlcMaxCounter}) == "8640000000000000-999999");
  CHECK(formatHlc({9, 10}) < formatHlc({10, 0}));
  CHECK(parseHlc("0001764547200000-000003") == Hlc{1764547200000, 3});
}

TEST_CASE("clock text of another shape is refused") {
  for (const char* bad : {"", "1764547200000-3", "0001764547200000-00003", "0001764547200000_000003",
                          "-001764547200000-000003", "000176454720000a-000003", "9999999999999999-000000",
                          " 001764547200000-000003"}) {
    INFO(bad);
    CHECK_FALSE(parseHlc(bad).has_value());
  }
}
