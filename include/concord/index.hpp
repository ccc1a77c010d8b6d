// The index: writing papers into a Xapian database and reading back documents and paragraphs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/paper.hpp"
#include "concord/tags.hpp"

namespace concord {

class Taxonomy;
class Gazetteer;

// What the index knows about one paper (its document record).
struct DocumentInfo {
  DocumentMeta meta;
  std::vector<Section> sections;
  std::uint32_t paragraph_count = 0;
  std::string source_path;
  std::string format;
  std::string fingerprint;  // of the source bytes and sidecar when indexed
  std::string indexed_at;   // UTC, ISO 8601
  // The paper's value for each document-level facet (year, lang, issuer, country, type),
  // exactly as its paragraphs carry it, for counting papers rather than paragraphs. A
  // resolved country is "CODE" 0x1D "Name".
  std::map<std::string, std::string> facet_values;
};

// One stored paragraph entry with its identifiers and tags.
struct ParagraphRecord {
  std::string id;  // "<doc id>:<ordinal>"
  std::string doc_id;
  Paragraph paragraph;
  std::vector<std::string> topics;   // topic ids
  std::vector<std::string> regions;  // region ids mentioned (not their ancestors)
  std::map<std::string, std::vector<std::string>> evidence;  // see ParagraphTags
};

// Where an index lives: one directory, or several shards (directories or tcp://host:port of
// xapian-tcpsrv servers) read as one. A directory written by `concord index --shards N`
// stands for its shards (listed in its XAPIANDB stub file, which Xapian's tools read too).
struct IndexLocation {
  std::vector<std::string> shards;  // a single entry for an unsharded index

  static IndexLocation directory(const std::filesystem::path& dir) {
    return IndexLocation{{dir.string()}};
  }
  // "DIR", or a comma-separated list of shards: "a,b,tcp://host:8001".
  static IndexLocation parse(std::string_view spec);
};

// The name of the stub file that lists the shards of a sharded index directory.
inline constexpr std::string_view kShardStubFile = "XAPIANDB";

// The shard (0..shards-1) a paper lives in: a stable hash (FNV-1a) of its id, the same on
// every run and machine, so that a re-index replaces a paper in place.
std::size_t shard_of(std::string_view doc_id, std::size_t shards);

// The (kind, target) lines of a Xapian stub database file ("glass shard-0", "auto replica_1",
// "remote host:port"), without comments.
std::vector<std::pair<std::string, std::string>> read_stub(const std::filesystem::path& stub);

// Read access to an index. Not safe for concurrent use: give each thread its own reader
// (opening is cheap). reopen() moves to the latest commit.
class IndexReader {
 public:
  // Throws Error(kNotFound) when there is no index, kCorrupt when it cannot be read.
  static IndexReader open(const IndexLocation& location);

  IndexReader(IndexReader&&) noexcept;
  IndexReader& operator=(IndexReader&&) noexcept;
  ~IndexReader();

  // Picks up changes committed since open or the last reopen. Returns true if any. Also
  // retries shards that were unavailable (at most every few seconds).
  bool reopen();

  // Shards of a multi-shard index that could not be reached: answers come from the others
  // and are partial. Empty when every shard answered. A single-shard index never gets here:
  // failing to reach it is an error.
  [[nodiscard]] const std::vector<std::string>& unavailable_shards() const;
  // Reconnects after a shard failed during a read (Xapian's NetworkError); the caller then
  // retries once. Throws Error(kUnavailable) when no shard is left.
  void recover();

  [[nodiscard]] std::vector<DocumentInfo> documents() const;
  [[nodiscard]] std::optional<DocumentInfo> document(std::string_view doc_id) const;
  [[nodiscard]] std::optional<ParagraphRecord> paragraph(std::string_view paragraph_id) const;
  // Paragraphs of a document with ordinals in [first, last] (inclusive), in order.
  [[nodiscard]] std::vector<ParagraphRecord> paragraphs(std::string_view doc_id,
                                                        std::uint32_t first,
                                                        std::uint32_t last) const;

  [[nodiscard]] std::uint64_t paragraph_count() const;
  [[nodiscard]] std::uint64_t document_count() const;
  [[nodiscard]] const IndexLocation& location() const;

  // The taxonomy and gazetteer the index was tagged with (the built-in ones for an index
  // written without tags). Parsed once per reader and kept until reopen() sees a change.
  [[nodiscard]] std::shared_ptr<const Taxonomy> taxonomy() const;
  [[nodiscard]] std::shared_ptr<const Gazetteer> gazetteer() const;
  // Every document record by id, read once and kept until reopen() sees a change.
  using DocumentTable = std::map<std::string, DocumentInfo, std::less<>>;
  [[nodiscard]] std::shared_ptr<const DocumentTable> document_table() const;
  [[nodiscard]] std::string stem_language() const;

  // Keeps the facet values of every paragraph in memory (about 20 bytes per paragraph, read
  // by the first search after open or a change), so counting facets costs a few
  // nanoseconds per match instead of a value lookup. For long-lived readers such as the
  // server; has no effect on an index of several shards.
  void keep_facets_in_memory(bool keep);

  struct Impl;
  [[nodiscard]] Impl& impl() const { return *impl_; }

 private:
  explicit IndexReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Write access. One writer per index at a time (Xapian's lock): a second one gets
// Error(kBusy). Changes become visible to readers only at commit(), atomically; destroying
// a writer without commit() discards them.
class IndexWriter {
 public:
  // A new (empty) index is built by `threads` workers in parallel and merged at the first
  // commit; 0 means one per core, at most 4 (or CONCORD_INDEX_THREADS). Updates to an
  // existing index are serial.
  static IndexWriter open(const std::filesystem::path& dir,
                          const std::string& stem_language = "english", unsigned threads = 0);
  // A writer that builds a new index in parallel, whatever `dir` holds (an index of any
  // schema, or nothing), and replaces it at the first commit.
  static IndexWriter rebuild(const std::filesystem::path& dir,
                             const std::string& stem_language = "english", unsigned threads = 0);
  IndexWriter(IndexWriter&&) noexcept;
  IndexWriter& operator=(IndexWriter&&) noexcept;
  ~IndexWriter();

  // The record of a paper already in the index (committed or added in this run).
  [[nodiscard]] std::optional<DocumentInfo> find(std::string_view doc_id) const;
  // Every document record, for pruning.
  [[nodiscard]] std::vector<DocumentInfo> documents() const;

  // Adds a paper, replacing any paper with the same id.
  void put(const Paper& paper, const std::string& fingerprint, const PaperTags& tags = {});
  // Removes a paper and its paragraphs; false if it was not there.
  bool remove(std::string_view doc_id);

  // Stores the taxonomy and gazetteer texts the papers are tagged with (part of the next
  // commit), so that searches interpret topic and region tags the same way.
  void set_tagging_data(const std::string& taxonomy_source, const std::string& gazetteer_source);

  // Makes all changes since the last commit durable and visible, atomically, then fsyncs
  // the directory so the new revision survives a power cut.
  void commit();

  [[nodiscard]] std::uint64_t pending_changes() const;
  [[nodiscard]] std::uint64_t paragraph_count() const;  // including uncommitted changes
  [[nodiscard]] std::uint64_t document_count() const;
  [[nodiscard]] const std::filesystem::path& path() const;

 private:
  struct Impl;
  explicit IndexWriter(std::unique_ptr<Impl> impl);
  void commit_parallel_build();
  std::unique_ptr<Impl> impl_;
};

}  // namespace concord
