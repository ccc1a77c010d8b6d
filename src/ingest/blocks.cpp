// Blocks to sections and entries, through the same outline and paragraph code as text.
#include "blocks.hpp"

#include "concord/text.hpp"
#include "paragraphs.hpp"
#include "structure.hpp"

namespace concord::ingest {

void assemble_blocks(const std::vector<Block>& blocks, Paper& paper, const IngestOptions& options) {
  OutlineBuilder builder(paper.sections);
  ParagraphSink sink(paper, options);
  for (const auto& block : blocks) {
    const std::string text = collapse_spaces(block.text);
    if (trim(text).empty()) continue;
    RawEntry entry;
    entry.begin = block.begin;
    entry.end = block.end;
    entry.page = block.page;
    if (block.heading_level > 0) {
      const int section = builder.add_markdown(block.heading_level, text);
      if (heading_is_content(text)) {
        entry.section = section;
        entry.is_heading = true;
        entry.text = text;
        sink.add(std::move(entry));
      }
      continue;
    }
    if (auto numbering = match_numbering(text); numbering && builder.accepts(*numbering)) {
      const int section = builder.add_numbered(*numbering, text);
      if (heading_is_content(text)) {
        entry.section = section;
        entry.is_heading = true;
        entry.text = text;
        sink.add(std::move(entry));
      }
      continue;
    }
    entry.section = builder.current();
    entry.text = text;
    sink.add(std::move(entry));
  }
  sink.finish();
}

}  // namespace concord::ingest
