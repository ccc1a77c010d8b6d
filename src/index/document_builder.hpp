// Papers to Xapian documents: terms, positions, values and stored records. Internal.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xapian.h>

#include "concord/analysis.hpp"
#include "concord/index.hpp"
#include "word_pairs.hpp"

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
  // `pairs`: the stems whose adjacent pairs are indexed (see word_pairs.hpp).
  DocumentBuilder(const std::string& stem_language, WordPairs pairs)
      : analyzer_(stem_language), pairs_(std::move(pairs)) {}

  BuiltPaper build(const Paper& paper, const std::string& fingerprint, const PaperTags& tags,
                   const std::string& indexed_at);

 private:
  // A title or heading as prefixed terms with positions relative to its first word.
  struct FieldTerms {
    std::vector<std::pair<std::string, Xapian::termpos>> terms;
    Xapian::termpos span = 0;  // positions the field takes up, gap to the next included
  };
  const FieldTerms& field_terms(std::string_view prefix, const std::string& text);
  // Adds a field's terms at positions from `position` on.
  static void index_field(Xapian::Document& doc, const FieldTerms& field, Xapian::termpos& position,
                          bool positional);
  // Snowball stemming is a large part of the time spent per word, and a corpus repeats its
  // words: each distinct word is stemmed once per builder.
  struct Stem {
    std::string term;
    bool paired = false;  // listed in pairs_
  };
  const Stem& stem(const std::string& word);
  // Adds the pair term of every two listed stems at adjacent positions of `doc`.
  void add_pairs(Xapian::Document& doc);

  Analyzer analyzer_;
  WordPairs pairs_;
  std::vector<Token> tokens_;
  std::vector<std::pair<Xapian::termpos, std::string>> paired_;  // this paragraph's, by position
  std::unordered_map<std::string, Stem> stems_;
  // Titles and headings repeat on every paragraph of a paper; analysed once per paper.
  std::unordered_map<std::string, FieldTerms> fields_;
};

}  // namespace concord::index
