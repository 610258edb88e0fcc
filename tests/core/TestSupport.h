// Helpers shared by the core tests: temp database paths and a valid lead.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace leadoutbox::testing {

// A fresh path in a temp folder, removed when the object goes away.
class TempDb {
 public:
  TempDb() {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("lead-outbox-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
  }
  ~TempDb() { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name = "leads.sqlite3") const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
};

inline std::string uuid(int n) {
  char buf[37];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

inline const char* kValidLead =
    R"({"name":"Ada Lovelace","email":"ada@example.com","phone":"+44 20 7946 0000","message":"Please call me about the engine."})";

}  // namespace leadoutbox::testing
