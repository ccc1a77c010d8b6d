// Indexing runs: files and directories in, one atomic commit out, with a report per file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "concord/ingest.hpp"

namespace concord {

struct IndexRunOptions {
  std::filesystem::path index_dir;
  std::vector<std::filesystem::path> inputs;  // files and directories (walked recursively)
  FileSelection selection;
  bool prune = false;  // drop papers whose source file under an input directory is gone
  bool force = false;  // re-parse files even when unchanged
  // Build a new index from the inputs alone and swap it in at the commit, replacing what is
  // there (also an index written by an incompatible Concord). Readers see the old index
  // until then; a crash leaves it untouched.
  bool rebuild = false;
  // Write the index as this many shards (DIR/shard-K plus a XAPIANDB stub listing them);
  // 0 keeps what the directory has (one database for a new index).
  unsigned shards = 0;
  IngestOptions ingest;
  std::string stem_language = "english";  // only used when the index is created
  std::string taxonomy_path;              // empty: the built-in taxonomy
  std::string gazetteer_path;             // empty: the built-in gazetteer
  std::string metadata_table;             // CSV of metadata per file (see MetadataTable); optional
};

struct FileOutcome {
  enum class Status { kAdded, kUpdated, kUnchanged, kRemoved, kFailed };
  Status status = Status::kFailed;
  std::string path;
  std::string doc_id;
  std::uint32_t paragraphs = 0;
  std::string message;                // why it failed
  std::vector<std::string> warnings;  // indexed, but the user should know
};

// "added", "updated", "unchanged", "removed", "failed": the words of reports and JSON.
const char* to_string(FileOutcome::Status status);

struct IndexReport {
  std::vector<FileOutcome> files;
  std::uint64_t added = 0, updated = 0, unchanged = 0, removed = 0, failed = 0;
  std::uint64_t paragraphs_written = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t index_paragraphs = 0;  // paragraphs in the index after the run
  std::uint64_t index_documents = 0;
  double seconds = 0;
  bool committed = false;
};

struct IndexProgress {
  std::size_t files_done = 0;
  std::size_t files_total = 0;
  std::uint64_t paragraphs = 0;
  std::uint64_t bytes = 0;
  double seconds = 0;
  std::string current;
};
using ProgressCallback = std::function<void(const IndexProgress&)>;

// Indexes the inputs. A file that cannot be read or parsed is reported and skipped; the
// rest are committed together at the end, so readers see the whole run or none of it.
// Throws Error for problems with the index itself (busy, unwritable, corrupt, disk full),
// in which case the index is left as it was before the run.
IndexReport run_index(const IndexRunOptions& options, const ProgressCallback& progress = {});

// Removes papers by id in one commit; unknown ids are reported as failed outcomes.
IndexReport remove_documents(const std::filesystem::path& index_dir,
                             const std::vector<std::string>& doc_ids);

}  // namespace concord
