// The writers of one index: a single IndexWriter, or one per shard of a sharded index, with
// papers routed by shard_of(id). Internal to the engine module.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/index.hpp"

namespace concord::engine {

class ShardWriters {
 public:
  // Opens the index at `dir` (creating it: with `shards` > 1 as that many shards). An
  // existing index keeps its layout; asking for another shard count is an error.
  ShardWriters(const std::filesystem::path& dir, const std::string& stem_language, unsigned shards,
               bool rebuild);

  [[nodiscard]] std::optional<DocumentInfo> find(std::string_view doc_id) const;
  [[nodiscard]] std::vector<DocumentInfo> documents() const;
  void put(const Paper& paper, const std::string& fingerprint, const PaperTags& tags);
  bool remove(std::string_view doc_id);
  void set_tagging_data(const std::string& taxonomy_source, const std::string& gazetteer_source);
  // Commits every shard in turn: each shard's commit is atomic, the set is not (Xapian has
  // no transaction across databases); re-running an interrupted run completes it.
  void commit();
  [[nodiscard]] std::uint64_t paragraph_count() const;
  [[nodiscard]] std::uint64_t document_count() const;

 private:
  [[nodiscard]] IndexWriter& writer_for(std::string_view doc_id) const;
  std::vector<std::unique_ptr<IndexWriter>> writers_;
};

// The shard directories listed by a sharded index's stub file, or empty for a single index.
std::vector<std::filesystem::path> shard_directories(const std::filesystem::path& dir);

}  // namespace concord::engine
