// Word pairs: two adjacent words of a sentence, both frequent, indexed as one extra term.
// Internal to the library (index and search modules).
//
// A phrase of two frequent words ("international community") is the slowest query Concord
// answers: Xapian checks the positions of both words in every paragraph that has the two,
// tens of thousands on a large corpus. With the pair indexed, the phrase is the two words
// AND the pair term, and no position is read. Longer phrases keep their position check, on
// the paragraphs that have all their pairs.
//
// Only pairs of listed stems are indexed (the frequent ones, whose phrases are slow), which
// keeps the extra postings to a few percent of the words. An index stores its list in its
// metadata when it is created, and keeps it: documents added later get the same pairs, and
// queries ask the index which pairs it has. Indexes without a list have no pairs.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include <xapian.h>

namespace concord::index {

class WordPairs {
 public:
  WordPairs() = default;

  // The list a new index of `stem_language` starts with: English only, none otherwise.
  static WordPairs for_new_index(std::string_view stem_language);
  // The list stored in `db`'s metadata (none for indexes built without pairs).
  static WordPairs of(const Xapian::Database& db);
  // The list a metadata() value stores.
  static WordPairs parse(std::string_view stored);
  // The metadata value that stores this list (empty: no pairs).
  [[nodiscard]] std::string metadata() const;

  [[nodiscard]] bool empty() const { return stems_.empty(); }
  [[nodiscard]] bool listed(std::string_view stem) const {
    return stems_.find(std::string(stem)) != stems_.end();
  }
  // Whether "first second", adjacent in a sentence, has a pair term: both stems are listed.
  // The document builder indexes exactly these pairs (it flags each stem once).
  [[nodiscard]] bool joins(std::string_view first, std::string_view second) const {
    return listed(first) && listed(second);
  }
  // The term of the pair "first second" (both listed).
  [[nodiscard]] static std::string term(std::string_view first, std::string_view second);

 private:
  std::unordered_set<std::string> stems_;
};

}  // namespace concord::index
