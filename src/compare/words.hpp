// Words of a text for comparison, shared phrases (greedy string tiling) and word diffs.
// Internal to the compare module.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "concord/analysis.hpp"
#include "concord/compare.hpp"

namespace concord::compare {

// A text with its words: normalised forms (compared for wording) and stems (compared for
// similarity, tolerant of inflection).
struct Words {
  std::string text;
  std::vector<Token> tokens;
  std::vector<std::string> stems;
  [[nodiscard]] std::size_t size() const { return tokens.size(); }
  [[nodiscard]] const std::string& word(std::size_t i) const { return tokens[i].term; }
};

Words words_of(std::string text, const Analyzer& analyzer);

// Several paragraphs read as one (the B side of a split, the A side of a merge).
Words concatenate(const std::vector<const Words*>& parts);

// Maximal shared word sequences of at least min_words, found longest first and never
// overlapping (greedy string tiling): the shared wording whatever its order.
struct Tile {
  std::size_t a = 0, b = 0, length = 0;
};
std::vector<Tile> shared_tiles(const Words& a, const Words& b, std::size_t min_words);

// Word-by-word diff of a against b (longest common subsequence of normalised words), with
// the original text between words kept on the side it comes from.
std::vector<DiffOp> word_diff(const Words& a, const Words& b);

// The original text of a's words [first, first + count).
std::string span_text(const Words& w, std::size_t first, std::size_t count);

}  // namespace concord::compare
