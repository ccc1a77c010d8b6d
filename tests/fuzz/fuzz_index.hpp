// A small index for the fuzz targets that search: built once per process in a temporary
// directory, removed at exit (libFuzzer leaves through exit(), which runs static destructors).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "concord/indexer.hpp"

namespace concord::fuzz {

inline std::filesystem::path build_index(const std::map<std::string, std::string>& papers) {
  char dir_template[] = "/tmp/concord-fuzz.XXXXXX";
  const std::filesystem::path dir = ::mkdtemp(dir_template);
  static const struct Cleanup {
    std::filesystem::path path;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  } cleanup{dir};
  std::filesystem::create_directories(dir / "docs");
  for (const auto& [name, text] : papers) std::ofstream(dir / "docs" / name) << text;
  IndexRunOptions options;
  options.index_dir = dir / "index";
  options.inputs = {dir / "docs"};
  run_index(options);
  return dir / "index";
}

// Splits the fuzz input into lines (the targets read a request as lines).
inline std::vector<std::string> lines(std::string_view input) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= input.size()) {
    std::size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    out.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace concord::fuzz
