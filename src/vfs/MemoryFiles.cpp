// One process-wide map of path → bytes: SQLite is built single-threaded, so no lock.
#include "vfs/MemoryFiles.h"

#include <map>

namespace leadoutbox {
namespace {

// A std::map, not a hash map: its nodes never move (find/create hand out stable
// pointers) and its order makes list() a range scan.
std::map<std::string, std::string>& files() {
  static std::map<std::string, std::string> byPath;
  return byPath;
}

}  // namespace

std::string* MemoryFiles::find(const std::string& path) {
  auto it = files().find(path);
  return it == files().end() ? nullptr : &it->second;
}

std::string& MemoryFiles::create(const std::string& path) { return files()[path]; }

bool MemoryFiles::remove(const std::string& path) { return files().erase(path) != 0; }

std::vector<std::string> MemoryFiles::list(std::string_view dir) {
  std::string prefix(dir);
  if (prefix.empty() || prefix.back() != '/') prefix += '/';
  return withPrefix(prefix);
}

std::vector<std::string> MemoryFiles::withPrefix(std::string_view view) {
  const std::string prefix(view);
  std::vector<std::string> out;
  for (auto it = files().lower_bound(prefix); it != files().end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it) {
    out.push_back(it->first);
  }
  return out;
}

}  // namespace leadoutbox
