// Papers to Xapian documents: terms, positions, values and stored records. Internal.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "concord/analysis.hpp"
#include "concord/index.hpp"

namespace concord::index {

struct BuiltPaper {
  std::string doc_id;
  std::vector<Xapian::Document> paragraphs;
  Xapian::Document record;
};

// Not thread-safe (owns an Analyzer); one per indexing thread.
class DocumentBuilder {
 public:
  explicit DocumentBuilder(const std::string& stem_language) : analyzer_(stem_language) {}

  BuiltPaper build(const Paper& paper, const std::string& fingerprint, const PaperTags& tags,
                   const std::string& indexed_at);

 private:
  // Adds the words of text as prefixed terms at positions from `position` on.
  void index_field(Xapian::Document& doc, std::string_view prefix, std::string_view text,
                   Xapian::termpos& position, bool positional);

  Analyzer analyzer_;
  std::vector<Token> tokens_;
};

}  // namespace concord::index
