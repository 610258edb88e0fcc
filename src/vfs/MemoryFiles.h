// Files kept in the core's own memory, so SQLite needs no file system (SQLITE_OS_OTHER, -sFILESYSTEM=0).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leadoutbox {

// Process-wide files held in memory, by path ("/dir/name"); single-threaded like the build.
// The bytes of a file are a std::string (contiguous, writable through &s[0] / data()).
// A pointer or reference to a file stays valid until that file is removed.
class MemoryFiles {
 public:
  static std::string* find(const std::string& path);   // nullptr when there is no such file
  static std::string& create(const std::string& path); // the file, created empty if missing
  static bool remove(const std::string& path);          // false when there was none
  // Paths of the files inside folder `dir` (prefix "dir/", a trailing slash optional), sorted.
  static std::vector<std::string> list(std::string_view dir);
  // Paths that start with `prefix`, sorted.
  static std::vector<std::string> withPrefix(std::string_view prefix);
};

}  // namespace leadoutbox
