// stableSort: std::stable_sort's result in a few hundred bytes of wasm per type instead of ~1.2 KB.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace leadoutbox {

// Sorts `items` ascending by `less` (a strict weak order), stably, in O(n log n): a
// bottom-up merge sort through one buffer of n items. Runs of sorted input cost one
// comparison per item per pass. (It replaced an insertion sort: a lead whose ~650 notes
// came from three devices took 0.2 s to view, the notes' interleaved clocks being its
// worst case.) T must be movable and default-constructible.
template <typename T, typename Less>
void stableSort(std::vector<T>& items, Less less) {
  const std::size_t n = items.size();
  if (n < 2) return;
  std::vector<T> buffer(n);
  std::vector<T>* from = &items;
  std::vector<T>* to = &buffer;
  for (std::size_t width = 1; width < n; width *= 2) {
    for (std::size_t lo = 0; lo < n; lo += 2 * width) {
      const std::size_t mid = lo + width < n ? lo + width : n;
      const std::size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      std::size_t a = lo, b = mid, out = lo;
      // Ties take the left run's item first: that keeps equal items in their order.
      while (a < mid && b < hi) (*to)[out++] = std::move(less((*from)[b], (*from)[a]) ? (*from)[b++] : (*from)[a++]);
      while (a < mid) (*to)[out++] = std::move((*from)[a++]);
      while (b < hi) (*to)[out++] = std::move((*from)[b++]);
    }
    std::swap(from, to);
  }
  if (from != &items) items.swap(buffer);
}

}  // namespace leadoutbox
