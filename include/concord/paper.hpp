// The document model that ingestion produces and the index stores: a paper, its metadata,
// its outline of sections and its paragraph-level entries.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace concord {

// Metadata of one paper. Every field may be empty when nothing said it.
struct DocumentMeta {
  std::string id;  // stable document id (sidecar "id", else a slug of the file name)
  std::string title;
  std::string issuer;    // the body that issued the paper (ministry, government, agency)
  std::string date;      // ISO 8601: "2023-02-21", "2023-02", "2023" or "--02-21" (no year)
  std::string place;     // from a dateline ("Beijing")
  std::string language;  // BCP 47 primary tag: "en", "zh"
  std::string country;   // issuing country as given (name or ISO code)
  std::string type;      // document type: "concept paper", "white paper", "statement", ...
  std::map<std::string, std::string> extra;  // any other sidecar keys (url, source, ...)

  // Year of date, or 0 when the date has none.
  [[nodiscard]] int year() const;
};

// One node of the outline. Sections nest: parent is an index into Paper::sections or -1.
struct Section {
  std::string heading;  // the heading line as written: "(6) Support and improve ..."
  std::string number;   // dotted path of labels: "3.6"
  int level = 1;        // 1 for top-level sections
  int parent = -1;
  std::uint32_t first_paragraph = 0;  // ordinal of the first entry inside it (0 if none)
};

// One searchable entry: a paragraph (or an item heading that is a paragraph of content).
struct Paragraph {
  std::uint32_t ordinal = 0;              // 1-based position in the paper
  int section = -1;                       // innermost section, index into Paper::sections
  std::vector<std::string> section_path;  // headings, outermost first
  std::string section_number;             // "3.6"
  std::uint64_t begin = 0;                // byte offsets of the entry in the source text
  std::uint64_t end = 0;
  std::uint32_t page = 0;   // 1-based page for paged formats, else 0
  bool is_heading = false;  // the entry is an item heading with content
  std::string language;     // when it differs from the paper's
  std::string text;
};

struct Paper {
  DocumentMeta meta;
  std::vector<Section> sections;
  std::vector<Paragraph> paragraphs;
  std::string source_path;            // the file it came from (absolute)
  std::string format;                 // "text", "markdown", ...
  std::vector<std::string> warnings;  // things the user should know (repaired UTF-8, ...)
};

}  // namespace concord
