// Structured documents (HTML, DOCX) arrive as blocks: headings with a level, and paragraphs.
// Internal to the ingest module.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "concord/ingest.hpp"
#include "concord/paper.hpp"

namespace concord::ingest {

struct Block {
  int heading_level = 0;  // 1..6 for headings, 0 for paragraphs and list items
  std::string text;
  std::uint32_t page = 0;
  std::uint64_t begin = 0, end = 0;  // offsets in the source when known
};

// Builds sections and paragraph entries from blocks: headings nest by level; a paragraph that
// starts with numbering ("1.", "(a)", "一、") opens a numbered section as in plain text; an
// item heading that reads as a sentence is an entry of its own. Throws Error(kInvalidInput)
// when no paragraph has text.
void assemble_blocks(const std::vector<Block>& blocks, Paper& paper, const IngestOptions& options);

}  // namespace concord::ingest
