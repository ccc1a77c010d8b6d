// Building a new index on every core. Internal to the index module.
//
// Xapian's writer is single-threaded and spends most of its time inverting and compressing
// postings, so one WritableDatabase cannot use a second core. A new index is therefore built
// by worker threads, each fed the papers whose id hashes to it (so a paper put twice in one
// run replaces itself in that worker's databases). A worker writes a series of segment
// databases of bounded size, because Xapian's flushes slow down as a database grows. The
// segments live in a staging directory; merge() joins them with Xapian's compactor, which
// is a sequential merge of sorted tables and much cheaper than indexing.
#pragma once

#include <cstdint>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "concord/index.hpp"
#include "concord/paper.hpp"
#include "concord/tags.hpp"
#include "word_pairs.hpp"

namespace concord::index {

class ParallelBuild {
 public:
  // staging must not exist or be a leftover of an interrupted build (it is emptied).
  ParallelBuild(std::filesystem::path staging, unsigned workers, std::string stem_language,
                const WordPairs& pairs, std::string indexed_at);
  ParallelBuild(const ParallelBuild&) = delete;
  ParallelBuild& operator=(const ParallelBuild&) = delete;
  // Stops the workers and deletes the staging directory.
  ~ParallelBuild();

  // Queue work; a worker's failure is rethrown by the next call.
  void put(const Paper& paper, const std::string& fingerprint, const PaperTags& tags);
  void remove(const std::string& doc_id);

  // Waits for the queued work, stamps each worker's last segment with `metadata` and closes
  // it. Returns the paths of all segments.
  std::vector<std::filesystem::path> finish(const std::map<std::string, std::string>& metadata);

  // Merges partial databases into a new database at `output` (which must not exist).
  static void merge(const std::vector<std::filesystem::path>& parts,
                    const std::filesystem::path& output);

  [[nodiscard]] const std::filesystem::path& staging() const { return staging_; }

 private:
  class Worker;
  void rethrow_failure();

  std::filesystem::path staging_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

// Stable across runs and platforms (FNV-1a), unlike std::hash: shard assignment must not
// change between the build that wrote an index and the one that updates it.
std::uint64_t stable_hash(std::string_view text);

}  // namespace concord::index
