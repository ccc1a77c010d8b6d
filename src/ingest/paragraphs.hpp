// Turning blocks of text into numbered paragraph entries. Internal to the ingest module; every
// format reader (text, Markdown, HTML, PDF, DOCX) emits its entries through a ParagraphSink so
// section paths, ordinals and size limits are handled in one place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "concord/ingest.hpp"
#include "concord/paper.hpp"

namespace concord::ingest {

struct RawEntry {
  int section = -1;  // innermost section
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::uint32_t page = 0;
  bool is_heading = false;
  std::string text;  // already cleaned
};

class ParagraphSink {
 public:
  ParagraphSink(Paper& paper, const IngestOptions& options) : paper_(paper), options_(options) {}

  // Appends the entry (split into pieces when over the size limit). Empty text is ignored.
  void add(RawEntry entry);
  // Checks that the paper has at least one paragraph; throws Error(kInvalidInput) if not.
  void finish() const;

 private:
  void emit(const RawEntry& entry, std::string text, std::uint64_t begin, std::uint64_t end);
  Paper& paper_;
  const IngestOptions& options_;
};

// Appends one physical line to a paragraph being rebuilt: a space between lines, none after
// a line-end hyphen inside a word ("non-" + "traditional").
void append_wrapped_line(std::string& paragraph, std::string_view line);

// Runs of white space (including tabs, NBSP) become one ASCII space; ends are trimmed.
std::string collapse_spaces(std::string_view text);

// Markdown inline markup to plain text: links and images keep their text, emphasis and code
// markers go, HTML tags stay as literal text (they are never interpreted).
std::string strip_markdown_inline(std::string_view text);

}  // namespace concord::ingest
