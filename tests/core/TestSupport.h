// Helpers shared by the core tests: temporary database folders in MemoryFiles and a valid lead.
#pragma once

#include <cstdio>
#include <string>

#include "vfs/MemoryFiles.h"

namespace leadoutbox::testing {

// Removes every MemoryFiles file inside folder `dir`.
inline void removeFolder(const std::string& dir) {
  for (const std::string& path : MemoryFiles::list(dir)) MemoryFiles::remove(path);
}

// A fresh folder of MemoryFiles (a path prefix; folders need no creating), whose files
// are removed when the object goes away.
class TempDb {
 public:
  TempDb() {
    static int counter = 0;
    dir_ = "/test/db-" + std::to_string(counter++);
  }
  ~TempDb() { removeFolder(dir_); }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;

  const std::string& dir() const { return dir_; }
  std::string path(const std::string& name = "leads.sqlite3") const { return dir_ + "/" + name; }

 private:
  std::string dir_;
};

inline std::string uuid(int n) {
  char buf[37];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

inline const char* kValidLead =
    R"({"name":"Ada Lovelace","email":"ada@example.com","phone":"+44 20 7946 0000","message":"Please call me about the engine."})";

}  // namespace leadoutbox::testing
