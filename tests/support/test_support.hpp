// Shared helpers for Concord's tests: temporary directories, files, child processes, and
// the corpus in ../shared (tests that need it skip with a printed reason when it is absent).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace concord::test {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Sets an environment variable (unset when value is empty) and restores it on destruction.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

void write_file(const std::filesystem::path& path, std::string_view content);
std::string read_file(const std::filesystem::path& path);

// The project's source directory (sample_docs/, tests/data/) and the built concord binary.
std::filesystem::path source_dir();
std::filesystem::path concord_binary();
std::filesystem::path seed_paper();

// ../shared/corpus beside the project, or empty when absent.
std::filesystem::path shared_corpus();
// Prints why and ends the test process with the code ctest reports as "skipped".
void skip_without_shared_corpus(const std::string& what);
inline constexpr int kSkipExitCode = 77;

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs a program with arguments (no shell), capturing stdout and stderr.
ProcessResult run(const std::vector<std::string>& argv, const std::string& stdin_text = {});
// Runs the concord binary.
ProcessResult concord(const std::vector<std::string>& args);

}  // namespace concord::test
