// Hlc: the hybrid logical clock (Kulkarni et al. 2014) that orders staff edits; its rules and its text form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadoutbox {

// A hybrid logical clock value: `wall` is the largest physical time (ms since the epoch)
// this clock has heard of, `counter` orders events within that millisecond. Values compare
// by (wall, counter). The clock never runs backwards and stays close to physical time: wall
// exceeds the physical clock only by what it learned from a faster clock elsewhere.
//
// The caller owns persistence: it loads the last value, calls hlcSend/hlcReceive with its
// `now`, and stores the answer in the same commit as the edit it stamps.
struct Hlc {
  std::int64_t wall = 0;     // [0, kHlcMaxWall]
  std::int64_t counter = 0;  // [0, kHlcMaxCounter]

  friend bool operator<(const Hlc& a, const Hlc& b) {
    return a.wall != b.wall ? a.wall < b.wall : a.counter < b.counter;
  }
  friend bool operator==(const Hlc& a, const Hlc& b) { return a.wall == b.wall && a.counter == b.counter; }
  friend bool operator!=(const Hlc& a, const Hlc& b) { return !(a == b); }
};

// JS Date's range and six decimal digits: the text form below is fixed-width within them.
constexpr std::int64_t kHlcMaxWall = 8640000000000000;
constexpr std::int64_t kHlcMaxCounter = 999999;

// The clock for a local event (an edit made here): Kulkarni's send rule. Strictly greater
// than `last`. A counter that would pass kHlcMaxCounter moves wall on by 1 ms instead
// (a million events within one ms do not happen; the clock stays monotonic if they do).
// `physicalMs` outside [0, kHlcMaxWall] is clamped.
Hlc hlcSend(Hlc last, std::int64_t physicalMs);

// The clock after hearing of `remote` (a value in a feed page): Kulkarni's receive rule.
// Greater than both `last` and `remote`.
Hlc hlcReceive(Hlc last, Hlc remote, std::int64_t physicalMs);

// Text form: 16 decimal digits of wall, '-', 6 of counter, e.g. "0001764547200000-000003".
// Fixed width, so text order is clock order (handy in SQL and logs).
std::string formatHlc(Hlc clock);
// The value of formatHlc's text; nullopt for anything else (other widths, signs, spaces).
std::optional<Hlc> parseHlc(std::string_view text);

}  // namespace leadoutbox
