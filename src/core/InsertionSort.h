// insertionSort: std::sort's result for the core's short lists, in a few bytes of wasm instead of ~1.2 KB per type.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace leadoutbox {

// Sorts `items` ascending by `less` (a strict weak order), stably. Quadratic: for lists of a
// few dozen (a lead's notes, the tables a query reads), and fast on nearly sorted input.
template <typename T, typename Less>
void insertionSort(std::vector<T>& items, Less less) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    for (std::size_t j = i; j > 0 && less(items[j], items[j - 1]); --j) std::swap(items[j], items[j - 1]);
  }
}

}  // namespace leadoutbox
