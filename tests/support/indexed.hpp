// The setup most search tests share: index the files a test wrote, then open the index.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "concord/index.hpp"
#include "concord/indexer.hpp"

namespace concord::test {

// Indexes `inputs` into `index_dir` and opens it; throws (failing the test) when a file
// does not index.
inline IndexReader index_and_open(const std::filesystem::path& index_dir,
                                  std::vector<std::filesystem::path> inputs) {
  IndexRunOptions options;
  options.index_dir = index_dir;
  options.inputs = std::move(inputs);
  const IndexReport report = run_index(options);
  if (report.failed != 0) {
    throw std::runtime_error(std::to_string(report.failed) + " file(s) failed to index into " +
                             index_dir.string());
  }
  return IndexReader::open(IndexLocation::directory(index_dir));
}

}  // namespace concord::test
