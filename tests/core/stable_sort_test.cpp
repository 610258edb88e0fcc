// Tests for src/core/StableSort.h: std::stable_sort's result on every shape of input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/StableSort.h"

using namespace leadoutbox;

TEST_CASE("stableSort gives std::stable_sort's order, ties kept in input order", "[sort]") {
  std::uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  for (std::size_t n = 0; n <= 70; ++n) {
    for (int keys : {1, 3, 1000}) {
      // (key, position): sorted by key only, so the positions show whether ties kept their order.
      std::vector<std::pair<int, std::string>> items;
      for (std::size_t i = 0; i < n; ++i) items.emplace_back(int(next() % keys), "item " + std::to_string(i));
      auto expected = items;
      const auto byKey = [](const auto& a, const auto& b) { return a.first < b.first; };
      std::stable_sort(expected.begin(), expected.end(), byKey);
      stableSort(items, byKey);
      REQUIRE(items == expected);
    }
  }
}

TEST_CASE("stableSort sorts interleaved sorted runs, its old worst case, in one pass per doubling", "[sort]") {
  // Three sorted runs whose values interleave, as a lead's notes from three devices do.
  std::vector<int> items;
  for (int run = 0; run < 3; ++run) {
    for (int i = 0; i < 600; ++i) items.push_back(i * 3 + run);
  }
  int comparisons = 0;
  stableSort(items, [&comparisons](int a, int b) { return ++comparisons, a < b; });
  CHECK(std::is_sorted(items.begin(), items.end()));
  // n log2 n is about 19,700 here; an insertion sort made about 1.2 million.
  CHECK(comparisons < 20000);
}
