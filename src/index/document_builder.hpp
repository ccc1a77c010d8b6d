// Papers to Xapian documents: terms, positions, values and stored records. Internal.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "concord/analysis.hpp"
#include "concord/index.hpp"

namespace concord::index {

struct BuiltPaper {
  std::string doc_id;
  std::vector<Xapian::Document> paragraphs;
  Xapian::Document record;
  std::vector<std::string> words;  // distinct unstemmed words, for the Vocabulary
};

// The unstemmed words wildcards expand through. A word must be in the index once, not once
// per paper (that was a third of all postings on the UN General Debate corpus): a writer
// remembers the words it has seen and adds the new ones as one vocabulary record before it
// commits. Words of removed papers stay; a wildcard then expands to a stem that matches
// nothing, which costs nothing.
class Vocabulary {
 public:
  // `db`, when given, is asked about words this writer has not seen (an existing index).
  void add(std::vector<std::string>& words, const Xapian::Database* db);
  // Adds the pending words as a vocabulary record; nothing when there are none.
  void flush(Xapian::WritableDatabase& db);

 private:
  std::unordered_set<std::string> known_;
  std::vector<std::string> pending_;
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
