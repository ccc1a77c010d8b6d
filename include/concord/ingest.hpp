// Ingestion: files on disk become Papers. Format readers extract text; the structure detector
// turns lines into sections and paragraph entries; sidecars and datelines give metadata.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/paper.hpp"

namespace concord {

struct IngestOptions {
  // Files above this size are refused with a clear error instead of exhausting memory.
  std::uint64_t max_file_bytes = 256ull << 20;
  // Longer paragraphs are split at sentence or word boundaries into several entries, so one
  // runaway paragraph (a file without line breaks) stays searchable and snippets stay cheap.
  std::size_t max_paragraph_bytes = 64u << 10;
};

enum class TextFormat { kPlain, kMarkdown };

// The raw bytes of a paper and its sidecar, read once. The fingerprint covers both and the
// ingest version, so re-indexing can skip unchanged files before parsing them.
struct SourceFile {
  std::filesystem::path path;  // absolute
  std::string bytes;
  std::optional<std::filesystem::path> sidecar;
  std::string sidecar_bytes;
  std::string fingerprint;  // hex digest
};

// Reads a file and its sidecar. Throws Error: kIo when unreadable or missing, kInvalidInput
// when empty, too large or of an unsupported type.
SourceFile load_source(const std::filesystem::path& file, const IngestOptions& options = {});

// Parses a loaded file. `table` is metadata from a metadata table; the sidecar wins over it.
// Throws Error(kInvalidInput) for binary content, a bad sidecar or a file without any
// paragraph of text.
Paper parse_source(const SourceFile& source, const IngestOptions& options = {},
                   const DocumentMeta* table = nullptr);

// load_source then parse_source.
Paper read_paper(const std::filesystem::path& file, const IngestOptions& options = {});

// Parses text already in memory (valid UTF-8 or not; it is repaired). `meta` is merged
// under what the text itself says (a sidecar's fields win over guesses from the text).
Paper parse_text(std::string_view bytes, TextFormat format, const DocumentMeta& sidecar = {},
                 const IngestOptions& options = {});

// True for files that read_paper knows how to read (by extension).
bool is_supported_file(const std::filesystem::path& file);

// Metadata from a JSON sidecar. Throws Error(kInvalidInput) naming the line and column of a
// syntax error or the key of a bad value.
DocumentMeta parse_sidecar(std::string_view json_text, const std::string& origin);

// The sidecar for a paper, if one exists: NAME.meta.json or NAME.EXT.meta.json beside it.
std::optional<std::filesystem::path> find_sidecar(const std::filesystem::path& file);

// Metadata for many files at once: a CSV file with a header row naming a `path` column
// (the file's path relative to the directory being indexed, or just its name) and metadata
// columns (title, issuer, date, year, language, country, type, id, or any other key;
// `country_iso3` is read as country). Throws Error(kInvalidInput) naming file:line.
class MetadataTable {
 public:
  static MetadataTable load(const std::filesystem::path& csv);
  static MetadataTable parse(std::string_view text, const std::string& origin);
  // The row for a file found under `root`, if any.
  [[nodiscard]] const DocumentMeta* find(const std::filesystem::path& file,
                                         const std::filesystem::path& root) const;
  [[nodiscard]] std::size_t size() const { return rows_.size(); }

 private:
  std::map<std::string, DocumentMeta> rows_;    // by relative path (generic form)
  std::map<std::string, std::string> by_name_;  // file name -> relative path, if unique
};

// A dateline such as "Xinhua News Agency, Beijing, February 21st" or "新华社北京2月21日电".
struct Dateline {
  std::string issuer;
  std::string place;
  std::string date;  // "--02-21" or "2023-02-21"
};
std::optional<Dateline> parse_dateline(std::string_view line);

// Files below the given paths, recursively, in a stable order. Hidden files and sidecars are
// skipped; include/exclude are shell globs matched against the path relative to its root
// and against the file name. Paths that do not exist are reported in `missing`.
struct FileSelection {
  std::vector<std::string> include;  // empty: every supported file
  std::vector<std::string> exclude;
};
struct CollectedFile {
  std::filesystem::path path;  // absolute
  std::filesystem::path root;  // the argument it was found under
};
std::vector<CollectedFile> collect_files(const std::vector<std::filesystem::path>& roots,
                                         const FileSelection& selection,
                                         std::vector<std::string>& missing);

}  // namespace concord
