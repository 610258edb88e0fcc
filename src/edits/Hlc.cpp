// The hybrid logical clock's send and receive rules and its fixed-width text form.
#include "edits/Hlc.h"

#include <algorithm>

namespace leadoutbox {
namespace {

constexpr std::size_t kWallDigits = 16;
constexpr std::size_t kCounterDigits = 6;

std::int64_t clampWall(std::int64_t ms) { return std::clamp<std::int64_t>(ms, 0, kHlcMaxWall); }

// (wall, counter + 1), carrying into wall past kHlcMaxCounter.
Hlc next(std::int64_t wall, std::int64_t counter) {
  if (counter < kHlcMaxCounter) return {wall, counter + 1};
  return {std::min(wall + 1, kHlcMaxWall), 0};
}

void appendDigits(std::string& out, std::int64_t n, std::size_t width) {
  std::string digits(width, '0');
  for (std::size_t i = width; i > 0 && n > 0; --i, n /= 10) digits[i - 1] = static_cast<char>('0' + n % 10);
  out += digits;
}

std::optional<std::int64_t> readDigits(std::string_view text) {
  std::int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

Hlc hlcSend(Hlc last, std::int64_t physicalMs) {
  const std::int64_t pt = clampWall(physicalMs);
  if (pt > last.wall) return {pt, 0};
  return next(last.wall, last.counter);
}

Hlc hlcReceive(Hlc last, Hlc remote, std::int64_t physicalMs) {
  const std::int64_t pt = clampWall(physicalMs);
  const std::int64_t wall = std::max({last.wall, remote.wall, pt});
  if (wall == last.wall && wall == remote.wall) return next(wall, std::max(last.counter, remote.counter));
  if (wall == last.wall) return next(wall, last.counter);
  if (wall == remote.wall) return next(wall, remote.counter);
  return {wall, 0};
}

std::string formatHlc(Hlc clock) {
  std::string out;
  out.reserve(kWallDigits + 1 + kCounterDigits);
  appendDigits(out, clampWall(clock.wall), kWallDigits);
  out += '-';
  appendDigits(out, std::clamp<std::int64_t>(clock.counter, 0, kHlcMaxCounter), kCounterDigits);
  return out;
}

std::optional<Hlc> parseHlc(std::string_view text) {
  if (text.size() != kWallDigits + 1 + kCounterDigits || text[kWallDigits] != '-') return std::nullopt;
  const auto wall = readDigits(text.substr(0, kWallDigits));
  const auto counter = readDigits(text.substr(kWallDigits + 1));
  if (!wall || !counter || *wall > kHlcMaxWall) return std::nullopt;
  return Hlc{*wall, *counter};
}

}  // namespace leadoutbox
