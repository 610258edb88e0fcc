// A process-wide record of changed paths: SQLite is built single-threaded, so no lock.
#include "vfs/ChangedFiles.h"

#include <set>

namespace leadoutbox {
namespace {

std::set<std::string>& changed() {
  static std::set<std::string> paths;
  return paths;
}

}  // namespace

void noteChangedFile(const std::string& path) { changed().insert(path); }

std::vector<std::string> takeChangedFiles(std::string_view dir) {
  std::string prefix(dir);
  if (prefix.empty() || prefix.back() != '/') prefix += '/';
  std::vector<std::string> out;
  auto& paths = changed();
  for (auto it = paths.lower_bound(prefix); it != paths.end() && it->compare(0, prefix.size(), prefix) == 0;) {
    out.push_back(*it);
    it = paths.erase(it);
  }
  return out;
}

}  // namespace leadoutbox
